package dev.minitower.api.auth;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.signup;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.api.ApiFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Quarkus Security in front of the team endpoints (TeamTokenMechanism, {@code @Authenticated},
 * {@code @RolesAllowed}): the original's 401/403 envelopes, checked before the body is read, and
 * the unauthenticated routes untouched by a stray Authorization header.
 */
@QuarkusTest
class TeamTokenSecurityTest {
  private static void unauthorized(Response r) {
    r.then()
        .statusCode(401)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("unauthorized"))
        .body("error.message", equalTo("invalid or missing token"));
  }

  @Test
  void missingHeaderIs401WithTheEnvelope() {
    unauthorized(given().get("/api/v1/me"));
  }

  @Test
  void otherSchemesAndForeignTokensAre401() {
    unauthorized(given().header("Authorization", "Basic dXNlcjpwdw==").get("/api/v1/apps"));
    unauthorized(given().header("Authorization", "Bearer test").get("/api/v1/apps"));
    unauthorized(
        given()
            .header("Authorization", "Bearer mtr_Xq3v9kL0aZbYcW2dE4fG6hJ8iK1mN3oP5qR7sT9uV0w")
            .get("/api/v1/runs"));
    unauthorized(
        given()
            .header("Authorization", "Bearer mtk_Xq3v9kL0aZbYcW2dE4fG6hJ8iK1mN3oP5qR7sT9uV0w")
            .get("/api/v1/runs"));
  }

  @Test
  void badTokenIs401BeforeAMalformedBodyIsRead() {
    unauthorized(
        given().header("Authorization", "Bearer mtk_nope").body("{not json").post("/api/v1/apps"));
  }

  @Test
  void memberOnAnAdminRouteIs403BeforeTheBodyIsRead() {
    String member = ApiFixtures.memberToken(signup("sec-member"));
    as(member)
        .body("{not json")
        .post("/api/v1/runner-tokens")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("forbidden"))
        .body("error.message", equalTo("admin role required"));
    as(member)
        .body("{\"value\":\"v\"}")
        .put("/api/v1/secrets/API_KEY")
        .then()
        .statusCode(403)
        .body("error.message", equalTo("admin role required"));
  }

  @Test
  void identityCarriesTeamAndRole() {
    ApiFixtures.Team team = signup("sec-me");
    as(team.token())
        .get("/api/v1/me")
        .then()
        .statusCode(200)
        .body("team_slug", equalTo(team.slug()))
        .body("role", equalTo("admin"));
    as(ApiFixtures.memberToken(team))
        .get("/api/v1/me")
        .then()
        .statusCode(200)
        .body("role", equalTo("member"));
  }

  @Test
  void revokedTokenIs401AtOnce() {
    ApiFixtures.Team team = signup("sec-revoke");
    var created =
        as(team.token())
            .body("{\"role\":\"member\"}")
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String token = created.getString("token");
    as(token).get("/api/v1/me").then().statusCode(200);
    as(team.token()).delete("/api/v1/tokens/" + created.getLong("token_id")).then().statusCode(204);
    unauthorized(as(token).get("/api/v1/me"));
  }

  @Test
  void unauthenticatedRoutesIgnoreAStrayHeader() {
    given()
        .header("Authorization", "Bearer mtk_stale")
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200);
  }
}
