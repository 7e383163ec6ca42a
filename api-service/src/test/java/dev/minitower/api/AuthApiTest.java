package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.given;
import static dev.minitower.api.ApiFixtures.signup;
import static dev.minitower.api.ApiFixtures.slug;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Teams, login, bootstrap, /me: catalogue items F-1, F-2, F-3, F-6, F-7, F-8, A-1, T-1, §16. */
@QuarkusTest
class AuthApiTest {
  static final String TOKEN_PATTERN = "^mtk_[A-Za-z0-9_-]{43}$";

  @Inject AgroalDataSource dataSource;

  @Test
  void f8AuthOptionsReportSignupAndBootstrap() {
    given()
        .get("/api/v1/auth/options")
        .then()
        .statusCode(200)
        .body("signup_enabled", equalTo(true))
        .body("bootstrap_enabled", equalTo(true));
  }

  @Test
  void f2SignupCreatesDistinctTeamsWithAdminTokens() {
    String a = slug("acme");
    String b = slug("beta");
    var first =
        given()
            .body(Map.of("slug", a, "name", "Acme Corp", "password", "acme-secret"))
            .post("/api/v1/teams/signup")
            .then()
            .statusCode(201)
            .body("slug", equalTo(a))
            .body("role", equalTo("admin"))
            .body("token", matchesPattern(TOKEN_PATTERN))
            .extract()
            .jsonPath();
    var second =
        given()
            .body(Map.of("slug", b, "name", "Beta Labs", "password", "beta-secret"))
            .post("/api/v1/teams/signup")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(first.getLong("team_id")).isPositive().isNotEqualTo(second.getLong("team_id"));
    assertThat(first.getMap("$").keySet()).containsExactly("team_id", "slug", "token", "role");
  }

  @Test
  void signupStoresOnlyTheTokenDigestAndCreatesTheDefaultEnvironment() throws Exception {
    ApiFixtures.Team team = signup("digest");
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT t.token_hash, encode(sha256(convert_to(?, 'UTF8')), 'hex'),"
                    + " (SELECT count(*) FROM environments e WHERE e.team_id = t.team_id"
                    + " AND e.name = 'default' AND e.is_default)"
                    + " FROM team_tokens t WHERE t.team_id = ?")) {
      ps.setString(1, team.token());
      ps.setLong(2, team.id());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(rs.getString(2));
        assertThat(rs.getInt(3)).isEqualTo(1);
      }
    }
  }

  @Test
  void f3SecondSignupWithSameSlugIs409SlugTaken() {
    ApiFixtures.Team team = signup("dup");
    given()
        .body(Map.of("slug", team.slug(), "name", "Other", "password", "other"))
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("slug_taken"))
        .body("error.message", equalTo("team slug already exists"));
  }

  @Test
  void signupValidatesInTheOriginalOrder() {
    given()
        .body("{\"slug\":\"ab\",\"name\":\"x\",\"password\":\"p\"}")
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_slug"))
        .body("error.message", equalTo("slug must be at least 3 characters"));
    given()
        .body("{\"slug\":\"admin\",\"name\":\"x\",\"password\":\"p\"}")
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("slug is reserved"));
    given()
        .body(Map.of("slug", slug("noname"), "name", "   ", "password", "p"))
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"))
        .body("error.message", equalTo("name is required"));
    given()
        .body(Map.of("slug", slug("nopw"), "name", "n", "password", ""))
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("password is required"));
  }

  @Test
  void passwordLongerThan72BytesIs400Not500() {
    String slug = slug("longpw");
    given()
        .body(Map.of("slug", slug, "name", "n", "password", "x".repeat(73)))
        .post("/api/v1/teams/signup")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"))
        .body("error.message", equalTo("password must be at most 72 bytes"));
    given()
        .body(Map.of("slug", slug, "password", "p"))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(401);
  }

  @Test
  void loginIs201WithTokenIdAndSameAnswerForUnknownTeamAndWrongPassword() {
    ApiFixtures.Team team = signup("login");
    given()
        .body(Map.of("slug", team.slug(), "password", "pw-" + team.slug()))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(201)
        .body("team_id", equalTo((int) team.id()))
        .body("token", matchesPattern(TOKEN_PATTERN))
        .body("token_id", notNullValue())
        .body("role", equalTo("admin"));
    given()
        .body(Map.of("slug", team.slug(), "password", "wrong"))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(401)
        .body("error.code", equalTo("unauthorized"))
        .body("error.message", equalTo("invalid slug or password"));
    given()
        .body(Map.of("slug", slug("nobody"), "password", "wrong"))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(401)
        .body("error.message", equalTo("invalid slug or password"));
    given()
        .body(Map.of("slug", team.slug()))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("slug and password are required"));
  }

  @Test
  void loginBruteForceIsRateLimitedWith429AndRetryAfter() {
    ApiFixtures.Team team = signup("brute");
    for (int i = 0; i < 5; i++) {
      given()
          .body(Map.of("slug", team.slug(), "password", "guess-" + i))
          .post("/api/v1/teams/login")
          .then()
          .statusCode(401);
    }
    given()
        .body(Map.of("slug", team.slug(), "password", "pw-" + team.slug()))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(429)
        .header("Retry-After", notNullValue())
        .body("error.code", equalTo("rate_limited"));
  }

  @Test
  void f1MeReportsTeamTokenAndRole() {
    ApiFixtures.Team team = signup("team-me");
    as(team.token())
        .get("/api/v1/me")
        .then()
        .statusCode(200)
        .body("team_id", equalTo((int) team.id()))
        .body("team_slug", equalTo(team.slug()))
        .body("token_id", notNullValue())
        .body("role", equalTo("admin"));
  }

  @Test
  void a1T1MemberTokenIsAcceptedAndReportedAsMember() {
    ApiFixtures.Team team = signup("member");
    String member = ApiFixtures.memberToken(team);
    as(member).get("/api/v1/me").then().statusCode(200).body("role", equalTo("member"));
  }

  @Test
  void missingMalformedAndUnknownBearerAre401() {
    given().get("/api/v1/me").then().statusCode(401).body("error.code", equalTo("unauthorized"));
    given()
        .header("Authorization", "Basic abc")
        .get("/api/v1/me")
        .then()
        .statusCode(401)
        .body("error.message", equalTo("invalid or missing token"));
    given().header("Authorization", "Bearer ").get("/api/v1/me").then().statusCode(401);
    as("mtk_" + "A".repeat(43)).get("/api/v1/me").then().statusCode(401);
    ApiFixtures.Team team = signup("query");
    given().queryParam("token", team.token()).get("/api/v1/me").then().statusCode(401);
    given()
        .header("Authorization", "  bEaReR   " + team.token() + "  ")
        .get("/api/v1/me")
        .then()
        .statusCode(200);
  }

  @Test
  void f6BootstrapOfAnExistingTeamIs200AndReplacesThePassword() {
    ApiFixtures.Team team = signup("demo");
    given()
        .header("Authorization", "Bearer test")
        .body(Map.of("slug", team.slug(), "name", "Demo Team", "password", "demo"))
        .post("/api/v1/bootstrap/team")
        .then()
        .statusCode(200)
        .body("team_id", equalTo((int) team.id()))
        .body("slug", equalTo(team.slug()))
        .body("token", matchesPattern(TOKEN_PATTERN))
        .body("role", equalTo("admin"));
    given()
        .body(Map.of("slug", team.slug(), "password", "pw-" + team.slug()))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(401);
    given()
        .body(Map.of("slug", team.slug(), "password", "demo"))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(201)
        .body("role", equalTo("admin"));
    // The signup token stays valid.
    as(team.token()).get("/api/v1/me").then().statusCode(200);
  }

  @Test
  void e3BootstrapWithoutPasswordReturnsATokenAndKeepsThePassword() {
    ApiFixtures.Team team = signup("smoke");
    given()
        .header("Authorization", "Bearer test")
        .body(Map.of("slug", team.slug(), "name", "Smoke Team"))
        .post("/api/v1/bootstrap/team")
        .then()
        .statusCode(200)
        .body("token", matchesPattern(TOKEN_PATTERN));
    given()
        .body(Map.of("slug", team.slug(), "password", "pw-" + team.slug()))
        .post("/api/v1/teams/login")
        .then()
        .statusCode(201);
  }

  @Test
  void f7BootstrapOfANewSlugWhileTeamsExistIs409TeamExists() {
    signup("exists");
    given()
        .header("Authorization", "Bearer test")
        .body(Map.of("slug", slug("other"), "name", "Other Team", "password", "other"))
        .post("/api/v1/bootstrap/team")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("team_exists"))
        .body("error.message", equalTo("a team already exists"));
  }

  @Test
  void bootstrapWithAWrongTokenIs401() {
    given()
        .header("Authorization", "Bearer nope")
        .body(Map.of("slug", slug("boot"), "name", "x"))
        .post("/api/v1/bootstrap/team")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer test")
        .contentType(ContentType.JSON)
        .body("{\"slug\":\"boot-x\",")
        .post("/api/v1/bootstrap/team")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"));
  }
}
