package dev.minitower.cli.config;

import dev.minitower.cli.CliException;
import dev.minitower.cli.Terminal;

/**
 * Connection resolution of docs/spec/towerfile-and-runner.md §4.2: flags > environment > selected
 * profile. The environment wins over the profile even when {@code --profile} is given.
 */
public final class ConnectionResolver {
  public static final String ENV_SERVER = "MINITOWER_SERVER_URL";
  public static final String ENV_TOKEN = "MINITOWER_API_TOKEN";

  private ConnectionResolver() {}

  /**
   * The profile API commands read: {@code --profile} (must exist) > the file's current profile (if
   * it exists) > a profile named {@code default} > none.
   */
  public static Profile selectProfile(CliConfig config, String explicit) {
    if (explicit != null && !explicit.isBlank()) {
      return config
          .profile(explicit)
          .orElseThrow(
              () ->
                  CliException.usage(
                      "profile \"" + CliConfig.normalize(explicit) + "\" not found"));
    }
    if (config.currentProfile() != null) {
      var current = config.profile(config.currentProfile());
      if (current.isPresent()) {
        return current.get();
      }
    }
    return config.profile(CliConfig.DEFAULT_PROFILE).orElse(Profile.EMPTY);
  }

  public static Connection resolve(
      Terminal t, CliConfig config, String serverFlag, String tokenFlag, String profileFlag) {
    Profile p = selectProfile(config, profileFlag);
    String server = firstNonBlank(serverFlag, t.env(ENV_SERVER), p.server());
    if (server == null) {
      throw CliException.usage(
          "server URL is required (--server, MINITOWER_SERVER_URL, or config profile)");
    }
    String token = firstNonBlank(tokenFlag, t.env(ENV_TOKEN), p.token());
    if (token == null) {
      throw CliException.usage(
          "API token is required (--token, MINITOWER_API_TOKEN, or config profile)");
    }
    return new Connection(trimServer(server), token.trim(), blankToNull(p.app()));
  }

  public static String trimServer(String server) {
    String s = server.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  public static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
