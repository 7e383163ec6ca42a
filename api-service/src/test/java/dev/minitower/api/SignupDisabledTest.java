package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** F-4, C-3: bootstrap-only mode (signup off, bootstrap token set). */
@QuarkusTest
@TestProfile(SignupDisabledTest.Profile.class)
class SignupDisabledTest {

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "minitower.public-signup-enabled", "false", "minitower.bootstrap-token", "test");
    }
  }

  @Test
  void f4SignupIs403BeforeTheBodyIsRead() {
    given()
        .body("not even json")
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("forbidden"))
        .body("error.message", equalTo("team signup is disabled"));
  }

  @Test
  void c3OptionsReportBootstrapOnlyMode() {
    given()
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200)
        .body("signup_enabled", equalTo(false))
        .body("bootstrap_enabled", equalTo(true));
  }
}
