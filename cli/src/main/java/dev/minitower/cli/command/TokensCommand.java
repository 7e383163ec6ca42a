package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.Table;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.model.time.GoDuration;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokens create|list|revoke}. */
@Command(
    name = "tokens",
    description = "Create, list and revoke team API tokens.",
    subcommands = {
      TokensCommand.Create.class,
      TokensCommand.ListTokens.class,
      TokensCommand.Revoke.class
    })
final class TokensCommand extends GroupCommand {

  @Command(
      name = "create",
      description =
          "Mint a token (shown once). A member asking for role admin gets a member token.")
  static final class Create extends ApiCommand {
    @Option(names = "--name", paramLabel = "<name>", description = "Label for the token.")
    String name;

    @Option(names = "--role", paramLabel = "<role>", description = "admin or member.")
    String role;

    @Option(
        names = "--expires-in",
        paramLabel = "<duration>",
        description = "Lifetime, e.g. 720h (servers with token expiry; default: never).")
    String expiresIn;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      if (role != null && !role.equals("admin") && !role.equals("member")) {
        throw CliException.usage("--role must be admin or member");
      }
      Long expiresInSeconds = null;
      if (expiresIn != null) {
        Duration d;
        try {
          d = GoDuration.parse(expiresIn);
        } catch (IllegalArgumentException e) {
          throw CliException.usage("invalid --expires-in: " + e.getMessage());
        }
        if (d.getSeconds() < 1) {
          throw CliException.usage("--expires-in must be at least 1s");
        }
        expiresInSeconds = d.getSeconds();
      }
      JsonNode tok =
          api()
              .post(
                  "/api/v1/tokens",
                  ApiClient.body(new Requests.CreateToken(name, role, expiresInSeconds, null)));
      if (json.json) {
        printJson(tok);
      } else {
        out().println("Token created: id=" + text(tok, "token_id") + " role=" + text(tok, "role"));
        out().println("Token: " + text(tok, "token"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the team's tokens (never their secret values).")
  static final class ListTokens extends ApiCommand {
    @Mixin JsonOption json;

    @Override
    protected int execute() {
      JsonNode resp = api().get("/api/v1/tokens");
      if (json.json) {
        printJson(resp);
        return ExitCodes.OK;
      }
      Table t =
          new Table(
              "TOKEN_ID", "NAME", "ROLE", "CREATED_AT", "LAST_USED_AT", "EXPIRES_AT", "REVOKED_AT");
      List<Views.TokenInfo> tokens = ApiClient.as(resp, Views.TokenList.class).tokens();
      for (Views.TokenInfo tok : tokens == null ? List.<Views.TokenInfo>of() : tokens) {
        t.row(
            String.valueOf(tok.tokenId()),
            tok.name(),
            tok.role(),
            tok.createdAt(),
            tok.lastUsedAt(),
            tok.expiresAt(),
            tok.revokedAt());
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a token by id.")
  static final class Revoke extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<token-id>", description = "Token id.")
    String id;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      long tokenId = positiveId(id, "token ID must be a positive integer");
      JsonNode resp = api().delete("/api/v1/tokens/" + tokenId);
      if (json.json) {
        printJson(
            resp != null
                ? resp
                : JsonOutput.object().put("token_id", tokenId).put("revoked", true));
      } else {
        out().println("Token " + tokenId + " revoked");
      }
      return ExitCodes.OK;
    }
  }
}
