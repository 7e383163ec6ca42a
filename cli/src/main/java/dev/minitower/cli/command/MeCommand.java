package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.model.api.Views;
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
    Views.Me who = ApiClient.as(me, Views.Me.class);
    out().println("Team: " + who.teamSlug() + " (id=" + who.teamId() + ")");
    out().println("Token ID: " + who.tokenId());
    out().println("Role: " + who.role());
    return ExitCodes.OK;
  }
}
