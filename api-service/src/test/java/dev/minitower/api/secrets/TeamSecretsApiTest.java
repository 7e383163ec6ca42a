package dev.minitower.api.secrets;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.minitower.api.ApiFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The secrets API: roles, tenant scoping, refused inputs, and no plaintext at rest or in answers.
 */
@QuarkusTest
class TeamSecretsApiTest {
  private static final String VALUE = "s3cr3t-postgres://user:pw@db/x";

  @Inject AgroalDataSource dataSource;

  @Test
  void adminSetsReplacesListsAndDeletesAndTheValueIsNeverAnsweredNorStoredInClear()
      throws Exception {
    ApiFixtures.Team team = signup("sec");
    String created =
        as(team.token())
            .body(Map.of("value", VALUE))
            .put("/api/v1/secrets/DB_URL")
            .then()
            .statusCode(201)
            .body("name", equalTo("DB_URL"))
            .body("environment", nullValue())
            .body("fingerprint", matchesPattern("^[0-9a-f]{16}$"))
            .extract()
            .asString();
    assertThat(created).doesNotContain(VALUE);
    as(team.token())
        .body(Map.of("value", VALUE + "-2"))
        .put("/api/v1/secrets/DB_URL")
        .then()
        .statusCode(200);
    as(team.token())
        .body(Map.of("value", "prod-only", "environment", "prod"))
        .put("/api/v1/secrets/DB_URL")
        .then()
        .statusCode(201)
        .body("environment", equalTo("prod"));
    String list =
        as(team.token())
            .get("/api/v1/secrets")
            .then()
            .statusCode(200)
            .body("secrets", hasSize(2))
            .body("secrets[0].name", equalTo("DB_URL"))
            .body("secrets[0].environment", nullValue())
            .body("secrets[1].environment", equalTo("prod"))
            .body("secrets[0]", not(org.hamcrest.Matchers.hasKey("value")))
            .extract()
            .asString();
    assertThat(list).doesNotContain(VALUE).doesNotContain("prod-only");
    assertThat(storedBytes(team.id())).isNotEmpty();
    for (byte[] row : storedBytes(team.id())) {
      assertThat(new String(row, StandardCharsets.ISO_8859_1))
          .doesNotContain("s3cr3t")
          .doesNotContain("prod-only");
    }
    as(team.token())
        .queryParam("environment", "prod")
        .delete("/api/v1/secrets/DB_URL")
        .then()
        .statusCode(204);
    as(team.token()).delete("/api/v1/secrets/DB_URL").then().statusCode(204);
    as(team.token()).delete("/api/v1/secrets/DB_URL").then().statusCode(404);
    as(team.token()).get("/api/v1/secrets").then().body("secrets", hasSize(0));
  }

  @Test
  void memberListsButCannotWriteOrDelete() {
    ApiFixtures.Team team = signup("sec");
    as(team.token())
        .body(Map.of("value", VALUE))
        .put("/api/v1/secrets/API_KEY")
        .then()
        .statusCode(201);
    String member = ApiFixtures.memberToken(team);
    as(member)
        .body(Map.of("value", "member-value"))
        .put("/api/v1/secrets/API_KEY")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("forbidden"));
    as(member)
        .body(Map.of("value", "member-value"))
        .put("/api/v1/secrets/OTHER")
        .then()
        .statusCode(403);
    as(member).delete("/api/v1/secrets/API_KEY").then().statusCode(403);
    as(member)
        .get("/api/v1/secrets")
        .then()
        .statusCode(200)
        .body("secrets", hasSize(1))
        .body("secrets[0].name", equalTo("API_KEY"));
  }

  @Test
  void anotherTeamCannotListDeleteOrOverwriteASecret() {
    ApiFixtures.Team a = signup("seca");
    ApiFixtures.Team b = signup("secb");
    String fingerprint =
        as(a.token())
            .body(Map.of("value", VALUE))
            .put("/api/v1/secrets/SHARED_NAME")
            .then()
            .statusCode(201)
            .extract()
            .path("fingerprint");
    as(b.token()).get("/api/v1/secrets").then().statusCode(200).body("secrets", hasSize(0));
    as(b.token()).delete("/api/v1/secrets/SHARED_NAME").then().statusCode(404);
    // B's PUT of the same name is B's own secret; A's is untouched.
    as(b.token())
        .body(Map.of("value", "b-value-1234"))
        .put("/api/v1/secrets/SHARED_NAME")
        .then()
        .statusCode(201);
    as(a.token())
        .get("/api/v1/secrets")
        .then()
        .body("secrets", hasSize(1))
        .body("secrets[0].fingerprint", equalTo(fingerprint));
  }

  @Test
  void badNamesValuesAndBodiesAre400AndStoreNothing() throws Exception {
    ApiFixtures.Team team = signup("sec");
    String big = "x".repeat(32 * 1024 + 1);
    for (String name :
        List.of(
            "1ABC",
            "A-B",
            "PATH",
            "HOME",
            "MINITOWER_TOKEN",
            "LD_PRELOAD",
            "PYTHONPATH",
            "a".repeat(129))) {
      as(team.token())
          .body(Map.of("value", VALUE))
          .put("/api/v1/secrets/" + name)
          .then()
          .statusCode(400)
          .body("error.code", equalTo("invalid_request"));
    }
    List<String> bodies =
        List.of(
            "{\"value\":123}",
            "{\"value\":{\"a\":\"" + VALUE + "\"}}",
            "{\"value\":true}",
            "{\"value\":null}",
            "{\"value\":[\"" + VALUE + "\"]}",
            "{\"value\":\"\"}",
            "{\"value\":\"" + VALUE + "\",\"team_id\":1}",
            "{\"value\":\"" + VALUE + "\",\"value\":\"" + VALUE + "x\"}",
            "{\"VALUE\":\"" + VALUE + "\"}",
            "{\"value\":\"" + VALUE + "\\u0000\"}",
            "{\"value\":\"" + VALUE + "\",\"environment\":\"Prod/../x\"}",
            "{\"value\":\"" + big + "\"}",
            "{\"value\":\"" + VALUE + "\"} trailing",
            "",
            "not json " + VALUE);
    for (String body : bodies) {
      String answer =
          as(team.token())
              .body(body)
              .put("/api/v1/secrets/GOOD_NAME")
              .then()
              .statusCode(400)
              .body("error.code", equalTo("invalid_request"))
              .extract()
              .asString();
      assertThat(answer)
          .as(body.length() > 80 ? body.substring(0, 80) : body)
          .doesNotContain("s3cr3t");
    }
    as(team.token()).get("/api/v1/secrets").then().body("secrets", hasSize(0));
    assertThat(storedBytes(team.id())).isEmpty();
  }

  @Test
  void reencryptionNeedsTheOperatorsBootstrapToken() {
    ApiFixtures.Team team = signup("sec");
    as(team.token()).post("/api/v1/admin/secrets/reencrypt").then().statusCode(401);
    ApiFixtures.given().post("/api/v1/admin/secrets/reencrypt").then().statusCode(401);
    as("test")
        .post("/api/v1/admin/secrets/reencrypt")
        .then()
        .statusCode(200)
        .body("remaining_under_other_keys", equalTo(0));
  }

  private List<byte[]> storedBytes(long teamId) throws Exception {
    List<byte[]> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT name, environment, key_id, nonce, ciphertext, fingerprint"
                    + " FROM team_secrets WHERE team_id = ?")) {
      ps.setLong(1, teamId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getBytes(5));
          rows.add(
              String.join(
                      "|",
                      rs.getString(1),
                      String.valueOf(rs.getString(2)),
                      rs.getString(3),
                      rs.getString(6))
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return rows;
  }
}
