package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.Table;
import dev.minitower.model.api.Views;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runners list} (admin tokens only). */
@Command(
    name = "runners",
    description = "Inspect runner agents (admin).",
    subcommands = {RunnersCommand.ListRunners.class})
final class RunnersCommand extends GroupCommand {

  @Command(name = "list", description = "List runners (needs an admin token).")
  static final class ListRunners extends ApiCommand {
    @Mixin JsonOption json;

    @Override
    protected int execute() {
      JsonNode resp = api().get("/api/v1/admin/runners");
      if (json.json) {
        printJson(resp);
        return ExitCodes.OK;
      }
      Table t = new Table("RUNNER_ID", "NAME", "ENVIRONMENT", "STATUS", "LAST_SEEN_AT");
      Views.RunnerList runners = ApiClient.as(resp, Views.RunnerList.class);
      for (Views.RunnerView r :
          runners.runners() == null ? List.<Views.RunnerView>of() : runners.runners()) {
        t.row(String.valueOf(r.runnerId()), r.name(), r.environment(), r.status(), r.lastSeenAt());
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }
}
