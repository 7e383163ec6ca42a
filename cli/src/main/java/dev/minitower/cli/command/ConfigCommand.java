package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.config.CliConfig;
import dev.minitower.cli.config.ConfigStore;
import dev.minitower.cli.config.Profile;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code config set|get|list|use}: named connection profiles in the config file. */
@Command(
    name = "config",
    description = "Manage connection profiles in the config file.",
    subcommands = {
      ConfigCommand.Set.class,
      ConfigCommand.Get.class,
      ConfigCommand.ListProfiles.class,
      ConfigCommand.Use.class
    })
final class ConfigCommand extends GroupCommand {

  /**
   * A profile as JSON. The token itself is never printed (the config file is 0600 for a reason);
   * {@code token_set} says whether one is stored.
   */
  static ObjectNode profileJson(Profile p) {
    ObjectNode o = JsonOutput.object();
    putIfSet(o, "server", p.server());
    putIfSet(o, "team", p.team());
    putIfSet(o, "app", p.app());
    o.put("token_set", p.hasToken());
    return o;
  }

  private static void putIfSet(ObjectNode o, String k, String v) {
    if (v != null && !v.isEmpty()) {
      o.put(k, v);
    }
  }

  @Command(
      name = "set",
      description = "Set values of a profile (default: the current profile, then \"default\").")
  static final class Set extends BaseCommand {
    @Option(names = "--profile", paramLabel = "<name>", description = "Profile to change.")
    String profile;

    @Option(names = "--server", paramLabel = "<url>", description = "API server URL.")
    String server;

    @Option(names = "--token", paramLabel = "<token>", description = "API token.")
    String token;

    @Option(names = "--team", paramLabel = "<slug>", description = "Team slug.")
    String team;

    @Option(names = "--app", paramLabel = "<slug>", description = "Default app for --app.")
    String app;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      if (server == null && token == null && team == null && app == null) {
        throw CliException.usage("no changes provided (use --server, --token, --team or --app)");
      }
      ConfigStore store = configStore();
      CliConfig config = store.load();
      String name = config.targetProfile(profile);
      Profile p = config.profile(name).orElse(Profile.EMPTY);
      if (server != null) {
        p = p.withServer(server.isBlank() ? null : server.trim());
      }
      if (token != null) {
        p = p.withToken(token.isBlank() ? null : token.trim());
      }
      if (team != null) {
        p = p.withTeam(team.isBlank() ? null : team.trim());
      }
      if (app != null) {
        p = p.withApp(app.isBlank() ? null : app.trim());
      }
      config.put(name, p);
      if (config.currentProfile() == null) {
        config.setCurrentProfile(name);
      }
      store.save(config);
      if (json.json) {
        ObjectNode o = JsonOutput.object().put("profile", name);
        o.set("config", profileJson(p));
        printJson(o);
      } else {
        out().println("Profile \"" + name + "\" updated");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Show one profile (default: the current profile).")
  static final class Get extends BaseCommand {
    @Option(names = "--profile", paramLabel = "<name>", description = "Profile to show.")
    String profile;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      CliConfig config = configStore().load();
      String name = config.targetProfile(profile);
      Profile p =
          config
              .profile(name)
              .orElseThrow(
                  () ->
                      new CliException(
                          "profile \"" + name + "\" not found", "config", ExitCodes.ERROR));
      boolean current = name.equals(config.currentProfile());
      if (json.json) {
        ObjectNode o = JsonOutput.object().put("profile", name).put("is_current", current);
        if (config.currentProfile() == null) {
          o.putNull("current_profile");
        } else {
          o.put("current_profile", config.currentProfile());
        }
        o.set("config", profileJson(p));
        printJson(o);
        return ExitCodes.OK;
      }
      out().println("Profile: " + name);
      if (current) {
        out().println("Current: true");
      }
      out().println("Server: " + orDash(p.server()));
      out().println("Team: " + orDash(p.team()));
      out().println("Default App: " + orDash(p.app()));
      out().println("Token: " + (p.hasToken() ? "set" : "not set"));
      return ExitCodes.OK;
    }

    private static String orDash(String s) {
      return s == null || s.isEmpty() ? "-" : s;
    }
  }

  @Command(name = "list", description = "List profiles; * marks the current one.")
  static final class ListProfiles extends BaseCommand {
    @Mixin JsonOption json;

    @Override
    protected int execute() {
      CliConfig config = configStore().load();
      String current = config.currentProfile();
      if (json.json) {
        ObjectNode o = JsonOutput.object();
        if (current == null) {
          o.putNull("current_profile");
        } else {
          o.put("current_profile", current);
        }
        ArrayNode arr = o.putArray("profiles");
        for (Map.Entry<String, Profile> e : config.profiles().entrySet()) {
          ObjectNode item = arr.addObject();
          item.put("name", e.getKey()).put("is_current", e.getKey().equals(current));
          item.set("config", profileJson(e.getValue()));
        }
        printJson(o);
        return ExitCodes.OK;
      }
      if (config.profiles().isEmpty()) {
        out().println("No profiles configured.");
        return ExitCodes.OK;
      }
      Table t = new Table("CURRENT", "PROFILE", "SERVER", "TEAM", "APP", "TOKEN");
      for (Map.Entry<String, Profile> e : config.profiles().entrySet()) {
        Profile p = e.getValue();
        t.row(
            e.getKey().equals(current) ? "*" : "",
            e.getKey(),
            p.server(),
            p.team(),
            p.app(),
            p.hasToken() ? "set" : null);
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "use", description = "Make a profile the current one.")
  static final class Use extends BaseCommand {
    @Parameters(index = "0", paramLabel = "<profile>", description = "Profile name.")
    String profile;

    @Override
    protected int execute() {
      ConfigStore store = configStore();
      CliConfig config = store.load();
      String name = CliConfig.normalize(profile);
      if (config.profile(name).isEmpty()) {
        throw new CliException("profile \"" + name + "\" not found", "config", ExitCodes.ERROR);
      }
      config.setCurrentProfile(name);
      store.save(config);
      out().println("Current profile set to \"" + name + "\"");
      return ExitCodes.OK;
    }
  }
}
