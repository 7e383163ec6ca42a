package dev.minitower.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.LogCapture;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What a PostgreSQL restart or failover does to the pool: every server connection is terminated
 * (SQLSTATE 57P01) under the service. A write that meets a dead pooled connection may answer 503
 * {@code unavailable}, never a 500 with an ERROR; the pool replaces its connections and writes
 * succeed again.
 */
@QuarkusTest
class DatabaseRestartTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void writesAfterARestartKilledThePoolsConnectionsAreNever500AndSucceedAgain() throws Exception {
    // Fill the pool with idle connections, then kill them all, as a restart would.
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(dataSource.getConnection());
    }
    for (Connection c : held) {
      c.close();
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE datname = current_database() AND usename = current_user"
              + " AND pid <> pg_backend_pid()");
    }
    try (LogCapture log = LogCapture.start()) {
      List<Integer> statuses = new ArrayList<>();
      int created = 0;
      for (int i = 0; i < 20 && created < 3; i++) {
        Response r =
            given()
                .contentType(ContentType.JSON)
                .body(Map.of("slug", ApiFixtures.slug("restart"), "name", "n", "password", "pw-r"))
                .post("/api/v1/teams/signup");
        statuses.add(r.statusCode());
        if (r.statusCode() == 201) {
          created++;
        } else {
          assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
          assertThat(r.header("Retry-After")).isNotNull();
          assertThat(r.jsonPath().getString("error.code")).isEqualTo("unavailable");
        }
      }
      assertThat(created).as("statuses " + statuses).isEqualTo(3);
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
    } finally {
      // The pool may still hold dead idle connections: later test classes share it.
      dataSource.flush(AgroalDataSource.FlushMode.INVALID);
    }
  }
}
