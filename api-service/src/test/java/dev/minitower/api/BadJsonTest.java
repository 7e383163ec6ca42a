package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md "Input validation" (JSON): each gets 400 {@code invalid_request} with a useful
 * message and stores nothing.
 */
@QuarkusTest
class BadJsonTest {

  static byte[] deepBrackets() {
    return ("{\"slug\":\"deep-app\",\"description\":"
            + "[".repeat(100_000)
            + "]".repeat(100_000)
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] invalidUtf8() {
    byte[] prefix = "{\"slug\":\"utf-app\",\"description\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    out[prefix.length] = (byte) 0xc3;
    out[prefix.length + 1] = (byte) 0x28;
    out[prefix.length + 2] = '"';
    out[prefix.length + 3] = '}';
    return out;
  }

  /**
   * Hostile bodies are sent as octet-stream (the server parses JSON whatever the type): RestAssured
   * pretty-prints JSON request bodies for its failure log, which 100,000 brackets would exhaust.
   */
  static io.restassured.specification.RequestSpecification raw(ApiFixtures.Team team) {
    return io.restassured.RestAssured.given()
        .header("Authorization", "Bearer " + team.token())
        .contentType("application/octet-stream");
  }

  @Test
  void hostileBodiesOnAppCreateAre400AndStoreNothing() {
    ApiFixtures.Team team = ApiFixtures.signup("json");
    List<byte[]> bodies =
        List.of(
            deepBrackets(),
            invalidUtf8(),
            "".getBytes(),
            "   ".getBytes(),
            "not json".getBytes(),
            "{\"slug\":\"dup-app\",\"slug\":\"dup-app2\"}".getBytes(),
            "{\"slug\":[\"x\"]}".getBytes(),
            "{\"slug\":\"num-app\",\"description\":12345678901234567890123456789012345678901234567890}"
                .getBytes(),
            "{\"slug\":\"mass-app\",\"id\":5}".getBytes(),
            "{\"slug\":\"mass-app\",\"disabled\":true}".getBytes(),
            "{\"slug\":\"big-desc\",\"description\":\""
                .concat("y".repeat(20_000))
                .concat("\"}")
                .getBytes(),
            "{\"slug\":\"nul-desc\",\"description\":\"a\\u0000b\"}".getBytes(),
            "{\"slug\":\"tail-app\"} {\"x\":1}".getBytes());
    for (byte[] body : bodies) {
      var r = raw(team).body(body).post("/api/v1/apps");
      String shown = new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8);
      assertThat(r.statusCode()).as(shown).isEqualTo(400);
      assertThat(r.jsonPath().getString("error.code")).as(shown).isEqualTo("invalid_request");
      assertThat(r.jsonPath().getString("error.message")).as(shown).isNotBlank();
    }
    as(team.token()).get("/api/v1/apps").then().body("apps.size()", equalTo(0));
  }

  @Test
  void deepNestingAndInvalidUtf8HaveClearMessages() {
    ApiFixtures.Team team = ApiFixtures.signup("json");
    String app = ApiFixtures.createApp(team, "deep");
    var deep =
        raw(team)
            .body(
                ("{\"input\":{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}")
                    .getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/apps/" + app + "/runs");
    assertThat(deep.statusCode()).isEqualTo(400);
    assertThat(deep.jsonPath().getString("error.message"))
        .startsWith("malformed JSON body: nesting too deep");
    raw(team)
        .body(invalidUtf8())
        .post("/api/v1/apps")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid JSON body: body is not valid UTF-8"));
  }

  @Test
  void massAssignmentOnSignupTokensAndRunsIsRefused() {
    String slug = ApiFixtures.slug("mass");
    given()
        .body("{\"slug\":\"" + slug + "\",\"name\":\"n\",\"password\":\"p\",\"team_id\":1}")
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid JSON body: unknown field 'team_id'"));
    given()
        .body("{\"slug\":\"" + slug + "\",\"password\":\"p\"}")
        .post("/api/v1/teams/login")
        .then()
        .statusCode(401);
    ApiFixtures.Team team = ApiFixtures.signup("mass");
    as(team.token())
        .body("{\"role\":\"member\",\"team_id\":1}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("error.message", startsWith("malformed JSON body"));
    as(team.token()).body("{\"role\":5}").post("/api/v1/tokens").then().statusCode(400);
    as(team.token()).get("/api/v1/tokens").then().body("tokens.size()", equalTo(1));
    as(team.token()).body("{\"name\":5}").post("/api/v1/environments").then().statusCode(400);
    as(team.token()).body("{\"name\":true}").post("/api/v1/runner-tokens").then().statusCode(400);
  }
}
