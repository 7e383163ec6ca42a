package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.output.Table;
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
      for (JsonNode r : resp.path("runners")) {
        t.row(
            text(r, "runner_id"),
            text(r, "name"),
            text(r, "environment"),
            text(r, "status"),
            text(r, "last_seen_at"));
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }
}
