package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Show one run.")
final class RunsGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
  String id;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    long runId = runId(id);
    JsonNode r = api().get(RunsCommand.runPath(runId));
    if (json.json) {
      printJson(r);
      return ExitCodes.OK;
    }
    Table t =
        new Table(
            "RUN_ID",
            "RUN_NO",
            "APP",
            "STATUS",
            "VERSION",
            "RETRIES",
            "QUEUED_AT",
            "STARTED_AT",
            "FINISHED_AT");
    t.row(
        text(r, "run_id"),
        text(r, "run_no"),
        text(r, "app_slug"),
        text(r, "status"),
        text(r, "version_no"),
        text(r, "retry_count") + "/" + text(r, "max_retries"),
        text(r, "queued_at"),
        text(r, "started_at"),
        text(r, "finished_at"));
    t.print(out());
    return ExitCodes.OK;
  }
}
