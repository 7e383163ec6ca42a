package dev.minitower.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three services started at the same moment against one empty database end with one migrated
 * schema and no errors: Flyway's PostgreSQL lock serialises the migration.
 */
class ConcurrentStartupIT {
  private static final List<String> SERVICES =
      List.of("api-service", "runner-service", "scheduler-service");

  private String jdbcUrl;
  private final List<ServiceProcess> started = new ArrayList<>();

  @BeforeEach
  void emptyDatabase() throws Exception {
    jdbcUrl = TestStack.createDatabase("mt_startup");
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (ServiceProcess p : started) {
      p.close();
    }
    TestStack.dropDatabase(jdbcUrl);
  }

  @Test
  void threeServicesStartedTogetherOnAnEmptyDatabaseShareOneMigratedSchema() throws Exception {
    for (String module : SERVICES) {
      started.add(ServiceProcess.start(module, jdbcUrl, Map.of()));
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (ServiceProcess p : started) {
                assertThat(p.isAlive()).as(p.module + " alive; log:\n" + safeLog(p)).isTrue();
                assertThat(p.managementStatus("/ready")).as(p.module + " /ready").isEqualTo(200);
              }
            });

    for (ServiceProcess p : started) {
      assertThat(p.managementStatus("/health")).isEqualTo(200);
      assertThat(p.managementStatus("/metrics")).isEqualTo(200);
      for (String path : List.of("/metrics", "/health", "/ready", "/q/health")) {
        assertThat(p.status(path)).as(p.module + " public " + path).isEqualTo(404);
      }
      assertThat(p.logText()).as(p.module + " log").doesNotContain("ERROR");
    }

    try (Connection c = TestStack.connect(jdbcUrl);
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery(
              "SELECT version, count(*), bool_and(success) FROM flyway_schema_history"
                  + " WHERE version IS NOT NULL GROUP BY version ORDER BY version");
      int versions = 0;
      while (rs.next()) {
        versions++;
        assertThat(rs.getInt(2)).as("applications of V" + rs.getString(1)).isEqualTo(1);
        assertThat(rs.getBoolean(3)).as("V" + rs.getString(1) + " succeeded").isTrue();
      }
      assertThat(versions).isPositive();
      ResultSet tables =
          s.executeQuery(
              "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
      tables.next();
      assertThat(tables.getInt(1)).isGreaterThanOrEqualTo(17);
    }
  }

  private static String safeLog(ServiceProcess p) {
    try {
      String text = p.logText();
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
