package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Team B's admin token walks every endpoint against team A's objects: every id or slug of A is a
 * 404 (never a 403, which would leak existence), lists and summaries show none of A's data, and
 * nothing of A changes (H-1, docs/security.md "Tenant isolation").
 */
@QuarkusTest
class CrossTenantTest {
  @Inject RunFixtures fixtures;

  @Test
  void teamBCanNeitherSeeNorTouchAnythingOfTeamA() throws Exception {
    ApiFixtures.Team a = ApiFixtures.signup("tenant-a");
    ApiFixtures.Team b = ApiFixtures.signup("tenant-b");
    String app = ApiFixtures.createApp(a, "secret");
    RestAssured.given()
        .header("Authorization", "Bearer " + a.token())
        .multiPart("artifact", "a.tar.gz", Archives.minimal(app), "application/gzip")
        .post("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(201);
    long run = ApiFixtures.createRun(a.token(), app, "{}");
    long tokenId =
        as(a.token())
            .body("{\"role\":\"member\"}")
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("token_id");
    long runnerTokenId =
        as(a.token())
            .body("{}")
            .post("/api/v1/runner-tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("token_id");
    as(a.token()).body("{\"name\":\"a-only\"}").post("/api/v1/environments").then().statusCode(201);
    String runnerName = fixtures.runnerName(fixtures.runner(a.id(), "default").runnerId());

    String t = b.token();
    for (String path :
        List.of(
            "/api/v1/apps/" + app,
            "/api/v1/apps/" + app + "/versions",
            "/api/v1/apps/" + app + "/versions/1",
            "/api/v1/apps/" + app + "/runs",
            "/api/v1/runs/" + run,
            "/api/v1/runs/" + run + "/logs",
            "/api/v1/runs/" + run + "/attempts")) {
      as(t).get(path).then().statusCode(404).body("error.code", equalTo("not_found"));
    }
    as(t).post("/api/v1/runs/" + run + "/cancel").then().statusCode(404);
    as(t).body("{}").post("/api/v1/apps/" + app + "/runs").then().statusCode(404);
    RestAssured.given()
        .header("Authorization", "Bearer " + t)
        .multiPart("artifact", "a.tar.gz", Archives.minimal(app), "application/gzip")
        .post("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(404);
    as(t).delete("/api/v1/tokens/" + tokenId).then().statusCode(404);
    as(t).delete("/api/v1/runner-tokens/" + runnerTokenId).then().statusCode(404);
    as(t)
        .body(Map.of("environment", "a-only"))
        .post("/api/v1/apps/" + app + "/runs")
        .then()
        .statusCode(404);

    as(t).get("/api/v1/apps").then().statusCode(200).body("apps.size()", equalTo(0));
    as(t).get("/api/v1/runs").then().statusCode(200).body("runs.size()", equalTo(0));
    as(t).get("/api/v1/runs?app=" + app).then().body("runs.size()", equalTo(0));
    as(t)
        .get("/api/v1/runs/summary")
        .then()
        .body("total_runs", equalTo(0))
        .body("queued_runs", equalTo(0));
    as(t).get("/api/v1/tokens").then().body("tokens.size()", equalTo(1));
    as(t).get("/api/v1/runner-tokens").then().body("runner_tokens.size()", equalTo(0));
    as(t)
        .get("/api/v1/environments")
        .then()
        .body("environments.name", org.hamcrest.Matchers.contains("default"));
    List<String> runners =
        as(t)
            .get("/api/v1/admin/runners")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("runners.name");
    assertThat(runners).doesNotContain(runnerName);

    // Nothing of A changed.
    as(a.token())
        .get("/api/v1/runs/" + run)
        .then()
        .statusCode(200)
        .body("status", equalTo("queued"));
    as(a.token())
        .get("/api/v1/apps/" + app + "/versions")
        .then()
        .body("versions.size()", equalTo(1));
    as(a.token())
        .get("/api/v1/tokens")
        .then()
        .body("tokens.findAll { it.revoked_at != null }.size()", equalTo(0));
    as(a.token())
        .get("/api/v1/runner-tokens")
        .then()
        .body("runner_tokens[0].revoked_at", org.hamcrest.Matchers.nullValue());
  }
}
