package dev.minitower.cli.command;

import dev.minitower.cli.CliException;
import dev.minitower.cli.config.Connection;
import dev.minitower.cli.config.ConnectionResolver;
import dev.minitower.cli.http.ApiClient;
import picocli.CommandLine.Mixin;

/** A command that talks to api-service with the resolved connection. */
abstract class ApiCommand extends BaseCommand {
  @Mixin ConnectionOptions connectionOptions;

  private Connection connection;
  private ApiClient client;

  protected Connection connection() {
    if (connection == null) {
      connection =
          ConnectionResolver.resolve(
              term(),
              configStore().load(),
              connectionOptions.server,
              connectionOptions.token,
              connectionOptions.profile);
    }
    return connection;
  }

  protected ApiClient api() {
    if (client == null) {
      Connection c = connection();
      client = new ApiClient(c.server(), c.token(), term()::sleep);
    }
    return client;
  }

  /** {@code --app}, else the profile's default app. */
  protected String requireApp(String appFlag) {
    if (appFlag != null && !appFlag.isBlank()) {
      return appFlag.trim();
    }
    String fallback = connection().defaultApp();
    if (fallback != null) {
      return fallback;
    }
    throw CliException.usage("app is required (--app or profile default app)");
  }
}
