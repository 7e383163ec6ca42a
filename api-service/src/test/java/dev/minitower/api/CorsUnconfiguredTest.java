package dev.minitower.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CORS off (no MINITOWER_CORS_ORIGINS): every preflight is refused, none gets CORS headers. */
@QuarkusTest
@TestProfile(CorsUnconfiguredTest.Profile.class)
class CorsUnconfiguredTest {

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("minitower.cors-origins", "");
    }
  }

  @Test
  void preflightsAre403WithoutCorsHeadersWhenCorsIsNotConfigured() {
    for (String origin : new String[] {"http://evil.example", "http://localhost:5173"}) {
      given()
          .header("Origin", origin)
          .header("Access-Control-Request-Method", "POST")
          .header("Access-Control-Request-Headers", "authorization, content-type")
          .options("/api/v1/apps")
          .then()
          .statusCode(403)
          .contentType("application/json")
          .header("Access-Control-Allow-Origin", nullValue())
          .body("error.code", equalTo("forbidden"))
          .body("error.message", equalTo("origin not allowed"));
    }
    given()
        .header("Origin", "http://evil.example")
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", nullValue());
  }
}
