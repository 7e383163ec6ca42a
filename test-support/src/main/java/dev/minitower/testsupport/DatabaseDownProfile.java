package dev.minitower.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A service whose database is down: the data source points at a local port nobody listens on (as
 * while PostgreSQL restarts or fails over), migrations are skipped, and the pool gives up after one
 * second instead of five.
 */
public class DatabaseDownProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.datasource.jdbc.url",
        "jdbc:postgresql://127.0.0.1:" + closedPort() + "/minitower",
        "quarkus.flyway.migrate-at-start",
        "false",
        "quarkus.datasource.jdbc.acquisition-timeout",
        "1S");
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
