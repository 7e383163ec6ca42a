package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CORS (F-11), unknown paths and methods, body caps (E-7, gap 24), OpenAPI. */
@QuarkusTest
class EdgeTest {

  @Test
  void f11PreflightFromAnAllowedOriginIs204WithCorsHeaders() {
    given()
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "GET")
        .options("/api/v1/apps")
        .then()
        .statusCode(204)
        .header("Access-Control-Allow-Origin", "http://localhost:5173")
        .header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
        .header("Access-Control-Max-Age", "86400")
        .header("Vary", not(emptyOrNullString()));
  }

  @Test
  void f11PreflightFromADisallowedOriginIsRefusedWithoutCorsHeaders() {
    given()
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .options("/api/v1/apps")
        .then()
        .statusCode(403)
        .header("Access-Control-Allow-Origin", nullValue())
        .body("error.code", equalTo("forbidden"));
  }

  @Test
  void simpleRequestsFromAnAllowedOriginCarryTheAllowOrigin() {
    given()
        .header("Origin", "http://localhost:5173")
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", "http://localhost:5173");
    given()
        .header("Origin", "http://evil.example")
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", nullValue());
  }

  @Test
  void unknownPathsAndWrongMethodsAnswerTheJsonEnvelope() {
    given()
        .get("/api/v1/nope")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error.code", equalTo("not_found"));
    ApiFixtures.Team team = ApiFixtures.signup("edge");
    as(team.token())
        .delete("/api/v1/apps")
        .then()
        .statusCode(405)
        .contentType("application/json")
        .body("error.code", equalTo("method_not_allowed"));
    given().put("/api/v1/auth/options").then().statusCode(405);
  }

  @Test
  void e7BodiesOverTheRequestCapAre413WithTheEnvelope() {
    ApiFixtures.Team team = ApiFixtures.signup("edge");
    byte[] big =
        ("{\"slug\":\"big-app\",\"description\":\"" + "x".repeat(1_100_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    as(team.token())
        .body(big)
        .post("/api/v1/apps")
        .then()
        .statusCode(413)
        .body("error.code", equalTo("payload_too_large"));
    as(team.token()).get("/api/v1/apps").then().body("apps.size()", equalTo(0));
  }

  @Test
  void uploadsOverTheArtifactCapAre413WithTheEnvelope() {
    ApiFixtures.Team team = ApiFixtures.signup("edge");
    String app = ApiFixtures.createApp(team, "app");
    String boundary = "b0undary";
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"artifact\";"
                + " filename=\"a.tar.gz\"\r\nContent-Type: application/gzip\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + (4 << 20) + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
    given()
        .header("Authorization", "Bearer " + team.token())
        .contentType("multipart/form-data; boundary=" + boundary)
        .body(body)
        .post("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(413)
        .body("error.code", equalTo("payload_too_large"));
  }

  @Test
  void openApiIsServed() {
    given().get("/openapi").then().statusCode(200);
  }
}
