package dev.minitower.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.platform.pg.DatabaseAvailability;
import dev.minitower.testsupport.LogCapture;
import dev.minitower.testsupport.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Writes (and the token checks before them) while PostgreSQL is down answer 503 {@code unavailable}
 * with Retry-After; the outage is one WARN, not an ERROR with a stack trace per request.
 */
@QuarkusTest
@TestProfile(ApiDatabaseDownProfile.class)
class DatabaseDownTest {
  @TestHTTPResource(value = "/", management = true)
  URL management;

  private static void assertUnavailable(ValidatableResponse response) {
    response
        .statusCode(503)
        .header("Retry-After", String.valueOf(DatabaseAvailability.RETRY_AFTER_SECONDS))
        .contentType("application/json")
        .body("error.code", equalTo("unavailable"))
        .body("error.message", equalTo("database unavailable, retry later"));
  }

  @Test
  void writesWhileTheDatabaseIsDownAre503WithRetryAfterAndOneWarning() {
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 3; i++) {
        assertUnavailable(
            given()
                .contentType(ContentType.JSON)
                .body(Map.of("slug", ApiFixtures.slug("down"), "name", "n", "password", "pw-down"))
                .post("/api/v1/teams/signup")
                .then());
        assertUnavailable(
            given()
                .contentType(ContentType.JSON)
                .header("Authorization", "Bearer mtk_" + "a".repeat(43))
                .body(Map.of("slug", "down-app"))
                .post("/api/v1/apps")
                .then());
      }
      Management.given(management).get("/ready").then().statusCode(503);
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
      assertThat(log.from(DatabaseAvailability.class.getName(), Level.WARNING))
          .as(log.describe())
          .hasSize(1);
      assertThat(log.withStackTraces().stream().filter(r -> r.getLoggerName().startsWith("dev.")))
          .as(log.describe())
          .isEmpty();
    }
  }
}
