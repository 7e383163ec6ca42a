package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.JsonOutput;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "retry",
    description = "Queue a new run with the same app, version, input, priority and retries.")
final class RunsRetryCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
  String id;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    long runId = runId(id);
    JsonNode old = api().get(RunsCommand.runPath(runId));
    String slug = text(old, "app_slug");
    if (slug == null) {
      throw new CliException(
          "run " + runId + " has no app_slug in the server's answer",
          "bad_response",
          ExitCodes.ERROR);
    }
    ObjectNode body = JsonOutput.object();
    if (old.hasNonNull("input")) {
      body.set("input", old.get("input"));
    }
    // environment / retry_on_failure exist only on newer servers; copied when present.
    for (String f :
        List.of("version_no", "priority", "max_retries", "environment", "retry_on_failure")) {
      if (old.hasNonNull(f)) {
        body.set(f, old.get(f));
      }
    }
    JsonNode run =
        api()
            .postRetryable(
                "/api/v1/apps/" + ApiClient.seg(slug) + "/runs",
                body,
                UUID.randomUUID().toString());
    if (json.json) {
      printJson(run);
    } else {
      out()
          .println(
              "Retry created: run #" + text(run, "run_no") + " (id=" + text(run, "run_id") + ")");
    }
    return ExitCodes.OK;
  }
}
