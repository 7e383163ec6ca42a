package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Cancel a run (queued: at once; running: via its runner).")
final class RunsCancelCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
  String id;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    long runId = runId(id);
    JsonNode r = api().postRetryable(RunsCommand.runPath(runId) + "/cancel", null, null);
    if (json.json) {
      printJson(r);
    } else {
      out().println("Run " + runId + " status: " + text(r, "status"));
    }
    return ExitCodes.OK;
  }
}
