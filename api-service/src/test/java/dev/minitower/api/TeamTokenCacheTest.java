package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.api.auth.TeamAuthenticator;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The team-token cache (docs/leasing.md "Runner-token cache", same scheme): a token revoked,
 * expired, demoted or deleted by anyone — another replica, an operator in SQL — stops working
 * within the notification's delay, although the token was cached by earlier calls.
 */
@QuarkusTest
class TeamTokenCacheTest {
  @Inject AgroalDataSource dataSource;
  @Inject TeamAuthenticator authenticator;

  private void sql(String statement, String slug) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setString(1, slug);
      ps.executeUpdate();
    }
  }

  private static void cached(ApiFixtures.Team team) {
    for (int i = 0; i < 3; i++) {
      as(team.token()).get("/api/v1/apps").then().statusCode(200);
    }
  }

  @Test
  void aUsedTokenIsAnsweredFromTheCacheWithoutTheDatabaseUntilItIsRevoked() throws Exception {
    ApiFixtures.Team team = signup("cache");
    assertThat(authenticator.cachedCaller("mtk_not-a-real-token")).isEmpty();
    cached(team);
    assertThat(authenticator.cachedCaller(team.token()))
        .hasValueSatisfying(c -> assertThat(c.teamSlug()).isEqualTo(team.slug()));
    sql(
        "UPDATE team_tokens SET revoked_at = now() WHERE team_id ="
            + " (SELECT id FROM teams WHERE slug = ?)",
        team.slug());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> authenticator.cachedCaller(team.token()).isEmpty());
  }

  @Test
  void aTokenRevokedElsewhereStopsWorkingAtOnce() throws Exception {
    ApiFixtures.Team team = signup("cache");
    cached(team);
    sql(
        "UPDATE team_tokens SET revoked_at = now() WHERE team_id ="
            + " (SELECT id FROM teams WHERE slug = ?)",
        team.slug());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> as(team.token()).get("/api/v1/apps").then().statusCode(401));
  }

  @Test
  void aCachedTokenPastItsExpiryIsRefusedAndADemotedAdminLosesAdminRights() throws Exception {
    ApiFixtures.Team team = signup("cache");
    cached(team);
    sql(
        "UPDATE team_tokens SET role = 'member' WHERE team_id = (SELECT id FROM teams WHERE slug = ?)",
        team.slug());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                as(team.token())
                    .body("{\"role\":\"admin\"}")
                    .post("/api/v1/tokens")
                    .then()
                    .statusCode(403));
    sql(
        "UPDATE team_tokens SET expires_at = now() - interval '1 second' WHERE team_id ="
            + " (SELECT id FROM teams WHERE slug = ?)",
        team.slug());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> as(team.token()).get("/api/v1/apps").then().statusCode(401));
  }
}
