package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Team tokens and runner registration tokens: F-5, T-1, §16, gap 6. */
@QuarkusTest
class TokenApiTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void f5AdminMintsAdminTokenAndBadRoleIs400() {
    ApiFixtures.Team team = signup("tok");
    as(team.token())
        .body("{\"role\":\"admin\",\"name\":\"ci\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .body("role", equalTo("admin"))
        .body("name", equalTo("ci"))
        .body("token", matchesPattern("^mtk_[A-Za-z0-9_-]{43}$"))
        .body("token_id", notNullValue());
    as(team.token())
        .body("{\"role\":\"owner\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("role must be admin or member"));
    as(team.token()).body("{\"role\":\"\"}").post("/api/v1/tokens").then().statusCode(400);
  }

  @Test
  void adminWithoutRoleGetsMemberAndEmptyBodyIsFine() {
    ApiFixtures.Team team = signup("tok");
    as(team.token())
        .body("")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .body("role", equalTo("member"))
        .body("$", not(hasKey("name")));
    as(team.token())
        .body("{\"name\":")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("error.message", org.hamcrest.Matchers.startsWith("malformed JSON body"));
  }

  @Test
  void f5MemberAskingForAdminIs403InsteadOfSilentDowngrade() {
    ApiFixtures.Team team = signup("tok");
    String member = ApiFixtures.memberToken(team);
    as(member)
        .body("{\"role\":\"admin\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("forbidden"));
    as(member)
        .body("{\"role\":\"member\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .body("role", equalTo("member"));
  }

  @Test
  void tokensAreListedWithoutSecretsAndRevokedTokensAre401() {
    ApiFixtures.Team team = signup("tok");
    var created =
        as(team.token())
            .body("{\"name\":\"temp\",\"role\":\"member\"}")
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String token = created.getString("token");
    long id = created.getLong("token_id");
    as(token).get("/api/v1/me").then().statusCode(200);
    String list =
        as(team.token())
            .get("/api/v1/tokens")
            .then()
            .statusCode(200)
            .body("tokens.size()", equalTo(2))
            .body("tokens[1].name", equalTo("temp"))
            .body("tokens[1].role", equalTo("member"))
            .body("tokens[1].last_used_at", notNullValue())
            .extract()
            .asString();
    assertThat(list).doesNotContain("mtk_").doesNotContain("hash");
    as(token)
        .get("/api/v1/tokens")
        .then()
        .statusCode(200)
        .body("tokens.size()", equalTo(1))
        .body("tokens[0].token_id", equalTo((int) id));
    as(team.token()).delete("/api/v1/tokens/" + id).then().statusCode(204);
    as(token).get("/api/v1/me").then().statusCode(401);
    as(team.token()).delete("/api/v1/tokens/" + id).then().statusCode(204);
    as(team.token()).delete("/api/v1/tokens/99999999999").then().statusCode(404);
    as(team.token()).get("/api/v1/tokens").then().body("tokens[1].revoked_at", notNullValue());
  }

  @Test
  void memberMayRevokeOnlyItsOwnToken() {
    ApiFixtures.Team team = signup("tok");
    String member = ApiFixtures.memberToken(team);
    long adminId =
        as(team.token()).get("/api/v1/me").then().extract().jsonPath().getLong("token_id");
    long memberId = as(member).get("/api/v1/me").then().extract().jsonPath().getLong("token_id");
    as(member).delete("/api/v1/tokens/" + adminId).then().statusCode(403);
    as(member).delete("/api/v1/tokens/" + memberId).then().statusCode(204);
    as(member).get("/api/v1/me").then().statusCode(401);
  }

  @Test
  void expiringTokensStopWorkingAfterTheirExpiry() throws Exception {
    ApiFixtures.Team team = signup("tok");
    var created =
        as(team.token())
            .body("{\"expires_in_seconds\":3600}")
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .body("expires_at", notNullValue())
            .extract()
            .jsonPath();
    Instant expiresAt = Instant.parse(created.getString("expires_at"));
    assertThat(expiresAt)
        .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
    String token = created.getString("token");
    as(token).get("/api/v1/me").then().statusCode(200);
    // Move the expiry into the past (the clock of the server is the real one).
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE team_tokens SET expires_at = now() - interval '1 second' WHERE id = ?")) {
      ps.setLong(1, created.getLong("token_id"));
      ps.executeUpdate();
    }
    // The token is cached by the call above; the change made behind the service's back reaches
    // it through the trigger's NOTIFY, milliseconds later (a natural expiry is checked per call).
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(() -> as(token).get("/api/v1/me").then().statusCode(401));
    as(team.token())
        .body("{\"expires_in_seconds\":0}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400);
    as(team.token())
        .body("{\"expires_at\":\"2001-01-01T00:00:00Z\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400);
    as(team.token())
        .body("{\"expires_at\":\"tomorrow\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400);
  }

  @Test
  void runnerRegistrationTokensAreAdminOnlyAndStoredAsDigests() throws Exception {
    ApiFixtures.Team team = signup("rtok");
    String member = ApiFixtures.memberToken(team);
    as(member).body("{}").post("/api/v1/runner-tokens").then().statusCode(403);
    as(member).get("/api/v1/runner-tokens").then().statusCode(403);
    var created =
        as(team.token())
            .body("{\"name\":\"ci runners\"}")
            .post("/api/v1/runner-tokens")
            .then()
            .statusCode(201)
            .body("token", matchesPattern("^mrt_[A-Za-z0-9_-]{43}$"))
            .body("name", equalTo("ci runners"))
            .extract()
            .jsonPath();
    assertThat(created.getMap("$").keySet()).containsExactly("token_id", "token", "name");
    long id = created.getLong("token_id");
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT token_hash = encode(sha256(convert_to(?, 'UTF8')), 'hex'), team_id"
                    + " FROM runner_registration_tokens WHERE id = ?")) {
      ps.setString(1, created.getString("token"));
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
        assertThat(rs.getLong(2)).isEqualTo(team.id());
      }
    }
    String list =
        as(team.token())
            .get("/api/v1/runner-tokens")
            .then()
            .statusCode(200)
            .body("runner_tokens.size()", equalTo(1))
            .body("runner_tokens[0].token_id", equalTo((int) id))
            .extract()
            .asString();
    assertThat(list).doesNotContain("mrt_");
    as(team.token()).delete("/api/v1/runner-tokens/" + id).then().statusCode(204);
    as(team.token())
        .get("/api/v1/runner-tokens")
        .then()
        .body("runner_tokens[0].revoked_at", notNullValue());
  }
}
