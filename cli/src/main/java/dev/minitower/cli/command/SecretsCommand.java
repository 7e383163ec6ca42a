package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.Table;
import dev.minitower.model.api.SecretViews;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code secrets set|list|delete}. The value of {@code set} is never an argument (it would show in
 * the process list and the shell history): it comes from a no-echo prompt on a terminal, else from
 * stdin ({@code printf %s "$VALUE" | minitower secrets set NAME}).
 */
@Command(
    name = "secrets",
    description = "Set, list and delete team secrets (values are never shown).",
    subcommands = {
      SecretsCommand.Set.class,
      SecretsCommand.ListSecrets.class,
      SecretsCommand.Delete.class
    })
final class SecretsCommand extends GroupCommand {

  static String path(String name) {
    return "/api/v1/secrets/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  @Command(
      name = "set",
      description =
          "Create or replace a secret (admin). The value is read from a no-echo prompt, or from"
              + " stdin when it is not a terminal (one trailing newline is dropped).")
  static final class Set extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<NAME>", description = "Environment variable name.")
    String name;

    @Option(
        names = "--environment",
        paramLabel = "<env>",
        description = "Only runs of this environment get this value (default: every environment).")
    String environment;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      String value;
      if (term().hasConsole()) {
        value = term().readSecret("Value for " + name + " (not echoed): ");
      } else {
        value = term().readAllStdin();
        if (value != null && value.endsWith("\n")) {
          value = value.substring(0, value.length() - (value.endsWith("\r\n") ? 2 : 1));
        }
      }
      if (value == null || value.isEmpty()) {
        throw CliException.usage("a value is required (prompt or stdin)");
      }
      JsonNode resp =
          api().put(path(name), ApiClient.body(new SecretViews.PutSecret(value, environment)));
      if (json.json) {
        printJson(resp);
      } else {
        out()
            .println(
                "Secret "
                    + text(resp, "name")
                    + " set"
                    + (environment == null ? "" : " for environment " + environment)
                    + " (fingerprint "
                    + text(resp, "fingerprint")
                    + ")");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the team's secrets: names, scope, fingerprint.")
  static final class ListSecrets extends ApiCommand {
    @Mixin JsonOption json;

    @Override
    protected int execute() {
      JsonNode resp = api().get("/api/v1/secrets");
      if (json.json) {
        printJson(resp);
        return ExitCodes.OK;
      }
      Table t = new Table("NAME", "ENVIRONMENT", "FINGERPRINT", "UPDATED_AT");
      List<SecretViews.SecretView> secrets =
          ApiClient.as(resp, SecretViews.SecretList.class).secrets();
      for (SecretViews.SecretView s :
          secrets == null ? List.<SecretViews.SecretView>of() : secrets) {
        String env = s.environment();
        t.row(
            s.name(),
            env == null || env.isEmpty() || env.equals("null") ? "(all)" : env,
            s.fingerprint(),
            s.updatedAt());
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", description = "Delete a secret (admin).")
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<NAME>", description = "Secret name.")
    String name;

    @Option(
        names = "--environment",
        paramLabel = "<env>",
        description = "Delete the value scoped to this environment (default: the team-wide one).")
    String environment;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("environment", environment);
      api().delete(ApiClient.withQuery(path(name), query));
      if (json.json) {
        printJson(JsonOutput.object().put("name", name).put("deleted", true));
      } else {
        out().println("Secret " + name + " deleted");
      }
      return ExitCodes.OK;
    }
  }
}
