package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code me}: who the token belongs to. */
@Command(name = "me", description = "Show the team, token id and role of the current token.")
final class MeCommand extends ApiCommand {
  @Mixin JsonOption json;

  @Override
  protected int execute() {
    JsonNode me = api().get("/api/v1/me");
    if (json.json) {
      printJson(me);
      return ExitCodes.OK;
    }
    out().println("Team: " + text(me, "team_slug") + " (id=" + text(me, "team_id") + ")");
    out().println("Token ID: " + text(me, "token_id"));
    out().println("Role: " + text(me, "role"));
    return ExitCodes.OK;
  }
}
