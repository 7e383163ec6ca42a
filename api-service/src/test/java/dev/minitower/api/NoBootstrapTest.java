package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** F-8 (second half), C-1: signup on, no bootstrap token: the bootstrap route does not exist. */
@QuarkusTest
@TestProfile(NoBootstrapTest.Profile.class)
class NoBootstrapTest {

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("minitower.bootstrap-token", "");
    }
  }

  @Test
  void f8OptionsSayBootstrapDisabledAndTheRouteIs404() {
    given()
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200)
        .body("signup_enabled", equalTo(true))
        .body("bootstrap_enabled", equalTo(false));
    given()
        .header("Authorization", "Bearer test")
        .body(Map.of("slug", ApiFixtures.slug("boot"), "name", "x"))
        .post("/api/v1/bootstrap/team")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("not_found"));
  }
}
