package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.config.CliConfig;
import dev.minitower.cli.config.ConfigStore;
import dev.minitower.cli.config.ConnectionResolver;
import dev.minitower.cli.config.Profile;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code login}: exchanges the team password for a new admin token and stores server, team and
 * token in a profile, which becomes the current one.
 */
@Command(
    name = "login",
    description = "Log in with the team slug and password; store the token in a profile.")
final class LoginCommand extends BaseCommand {
  @Option(names = "--server", paramLabel = "<url>", description = "API server URL.")
  String server;

  @Option(names = "--team", paramLabel = "<slug>", description = "Team slug.")
  String team;

  @Option(
      names = "--password",
      paramLabel = "<password>",
      description =
          "Team password (visible in the process list; prefer the prompt, which does not echo).")
  String password;

  @Option(
      names = "--profile",
      paramLabel = "<name>",
      description = "Profile to write (default: the current profile, then \"default\").")
  String profile;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    ConfigStore store = configStore();
    CliConfig config = store.load();
    String profileName = config.targetProfile(profile);
    Profile existing = config.profile(profileName).orElse(Profile.EMPTY);

    String serverUrl =
        ConnectionResolver.firstNonBlank(
            server, term().env(ConnectionResolver.ENV_SERVER), existing.server());
    if (serverUrl == null) {
      throw CliException.usage(
          "server URL is required (--server, MINITOWER_SERVER_URL, or config profile)");
    }
    serverUrl = ConnectionResolver.trimServer(serverUrl);
    String teamSlug = ConnectionResolver.firstNonBlank(team, existing.team());
    if (teamSlug == null) {
      throw CliException.usage("team is required (--team or config profile)");
    }
    teamSlug = teamSlug.trim();
    String pw = password != null ? password : term().readSecret("Password: ");
    if (pw == null || pw.trim().isEmpty()) {
      throw CliException.usage("password is required");
    }

    JsonNode login =
        new ApiClient(serverUrl, null, null)
            .post("/api/v1/teams/login", ApiClient.body(new Requests.Login(teamSlug, pw.trim())));
    String token = ApiClient.as(login, Views.LoginResult.class).token();
    if (token == null || token.isEmpty()) {
      throw new CliException(
          "login response did not contain a token", "bad_response", ExitCodes.ERROR);
    }

    config.put(profileName, existing.withServer(serverUrl).withToken(token).withTeam(teamSlug));
    config.setCurrentProfile(profileName);
    store.save(config);

    if (json.json) {
      ObjectNode o = JsonOutput.object().put("profile", profileName);
      o.set("login", login);
      printJson(o);
    } else {
      out().println("Logged in as team \"" + teamSlug + "\" (role: " + text(login, "role") + ")");
      out().println("Profile \"" + profileName + "\" updated");
    }
    return ExitCodes.OK;
  }
}
