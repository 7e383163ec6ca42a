package dev.minitower.platform.pg;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The shared exception mapping: an unreachable database is 503 {@code unavailable} with Retry-After
 * and one WARN per outage (then an INFO once the probe reaches the database); any other database
 * failure stays a 500 with its ERROR.
 */
@QuarkusTest
class DatabaseOutageMappingTest {

  static final class Capture extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    List<LogRecord> of(Class<?> source, Level level) {
      return records.stream()
          .filter(
              r ->
                  source.getName().equals(r.getLoggerName())
                      && r.getLevel().intValue() == level.intValue())
          .toList();
    }

    List<LogRecord> severe() {
      return records.stream()
          .filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
          .toList();
    }
  }

  @Test
  void anUnreachableDatabaseIs503WithRetryAfterAndOneWarningPerOutage() {
    Capture log = new Capture();
    Logger.getLogger("").addHandler(log);
    try {
      for (int i = 0; i < 5; i++) {
        given()
            .get("/probe/db-unreachable")
            .then()
            .statusCode(503)
            .header("Retry-After", "5")
            .body("error.code", equalTo("unavailable"));
      }
      assertThat(log.severe()).isEmpty();
      assertThat(log.of(DatabaseAvailability.class, Level.WARNING)).hasSize(1);
      // The database of the test stack is up: the probe finds it and closes the outage.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> log.of(DatabaseAvailability.class, Level.INFO).size() == 1);
      given().get("/probe/db-unreachable").then().statusCode(503);
      assertThat(log.of(DatabaseAvailability.class, Level.WARNING)).hasSize(2);
    } finally {
      Logger.getLogger("").removeHandler(log);
    }
  }

  @Test
  void aFailingStatementIsStillA500() {
    given()
        .get("/probe/db-statement")
        .then()
        .statusCode(500)
        .header("Retry-After", (String) null)
        .body("error.code", equalTo("internal"));
  }
}
