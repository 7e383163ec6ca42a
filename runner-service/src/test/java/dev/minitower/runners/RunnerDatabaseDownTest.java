package dev.minitower.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.platform.pg.DatabaseAvailability;
import dev.minitower.testsupport.DatabaseDownProfile;
import dev.minitower.testsupport.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Runner calls while PostgreSQL is down: 503 {@code unavailable}, Retry-After, one WARN. */
@QuarkusTest
@TestProfile(DatabaseDownProfile.class)
class RunnerDatabaseDownTest {

  @Test
  void registrationAndLeasingWhileTheDatabaseIsDownAre503WithOneWarning() {
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 3; i++) {
        RunnerApi.register(
                RunnerApi.REGISTRATION_TOKEN, Map.of("name", "down-" + i, "environment", "default"))
            .then()
            .statusCode(503)
            .header("Retry-After", String.valueOf(DatabaseAvailability.RETRY_AFTER_SECONDS))
            .body("error.code", equalTo("unavailable"));
        RunnerApi.leaseRaw(new RunnerApi.Runner(1, "mtr_" + "b".repeat(43)))
            .then()
            .statusCode(503)
            .body("error.code", equalTo("unavailable"));
      }
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
      assertThat(log.from(DatabaseAvailability.class.getName(), Level.WARNING))
          .as(log.describe())
          .hasSize(1);
    }
  }
}
