package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.minitower.store.runs.RunRecords.RunnerRef;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Apps, environments and the admin runner list: H-1, A-2, F-10, §16, gaps 3, 18, 21, 25. */
@QuarkusTest
class AppApiTest {
  @Inject RunFixtures fixtures;

  @Test
  void appsAreCreatedListedInSlugOrderAndPaginated() {
    ApiFixtures.Team team = signup("apps");
    as(team.token())
        .body("{\"slug\":\"zeta-app\",\"description\":\"<b>\\u001b[31m</b>\"}")
        .post("/api/v1/apps")
        .then()
        .statusCode(201)
        .body("slug", equalTo("zeta-app"))
        .body("description", equalTo("<b>\u001b[31m</b>"))
        .body("disabled", equalTo(false));
    var alpha =
        as(team.token())
            .body("{\"slug\":\"alpha-app\"}")
            .post("/api/v1/apps")
            .then()
            .statusCode(201)
            .body("$", not(hasKey("description")))
            .extract()
            .jsonPath();
    assertThat(alpha.getMap("$").keySet())
        .containsExactly("app_id", "slug", "disabled", "created_at", "updated_at");
    assertThat(alpha.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    as(team.token())
        .body("{\"slug\":\"empty-desc\",\"description\":\"\"}")
        .post("/api/v1/apps")
        .then()
        .statusCode(201)
        .body("description", equalTo(""));
    as(team.token())
        .get("/api/v1/apps")
        .then()
        .statusCode(200)
        .body("apps.slug", contains("alpha-app", "empty-desc", "zeta-app"));
    as(team.token())
        .get("/api/v1/apps?limit=1&offset=1")
        .then()
        .body("apps.slug", contains("empty-desc"));
    as(team.token()).get("/api/v1/apps/alpha-app").then().statusCode(200);
    as(team.token())
        .get("/api/v1/apps/nope-app")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("app not found"));
  }

  @Test
  void appCreateValidatesSlugAndBody() {
    ApiFixtures.Team team = signup("apps");
    as(team.token())
        .body("")
        .post("/api/v1/apps")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"));
    as(team.token())
        .body("{\"slug\":\"Bad\"}")
        .post("/api/v1/apps")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_slug"));
    as(team.token())
        .body("{\"slug\":\"good-app\",\"team_id\":1}")
        .post("/api/v1/apps")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid JSON body: unknown field 'team_id'"));
    as(team.token())
        .body("{\"slug\":123}")
        .post("/api/v1/apps")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid JSON body: field 'slug' has the wrong type"));
    as(team.token()).get("/api/v1/apps").then().body("apps.size()", equalTo(0));
  }

  @Test
  void appCreateRaceGives409Not500() throws Exception {
    ApiFixtures.Team team = signup("race");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(
            pool.submit(
                () ->
                    as(team.token())
                        .body("{\"slug\":\"same-app\"}")
                        .post("/api/v1/apps")
                        .then()
                        .extract()
                        .statusCode()));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> f : results) {
        codes.add(f.get());
      }
      assertThat(codes).containsOnly(201, 409);
      assertThat(codes.stream().filter(c -> c == 201)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    as(team.token())
        .body("{\"slug\":\"same-app\"}")
        .post("/api/v1/apps")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("slug_taken"))
        .body("error.message", equalTo("app slug already exists"));
  }

  @Test
  void h1DifferentTeamsMayReuseASlugButNeverSeeEachOthersApps() {
    ApiFixtures.Team a = signup("team-a");
    ApiFixtures.Team b = signup("team-b");
    as(b.token()).body("{\"slug\":\"app-b\"}").post("/api/v1/apps").then().statusCode(201);
    as(a.token()).get("/api/v1/apps/app-b").then().statusCode(404);
    as(b.token()).get("/api/v1/apps/app-b").then().statusCode(200);
    as(a.token()).body("{\"slug\":\"app-b\"}").post("/api/v1/apps").then().statusCode(201);
  }

  @Test
  void environmentsListTheDefaultAndRefuseBadOrDuplicateNames() {
    ApiFixtures.Team team = signup("envs");
    as(team.token())
        .get("/api/v1/environments")
        .then()
        .statusCode(200)
        .body("environments.name", contains("default"))
        .body("environments[0].is_default", equalTo(true));
    as(team.token())
        .body("{\"name\":\"prod\"}")
        .post("/api/v1/environments")
        .then()
        .statusCode(201);
    as(team.token())
        .body("{\"name\":\"prod\"}")
        .post("/api/v1/environments")
        .then()
        .statusCode(409);
    as(team.token())
        .body("{\"name\":\"default\"}")
        .post("/api/v1/environments")
        .then()
        .statusCode(409);
    for (String bad : List.of("", "Prod", "-x", "a b", "x".repeat(64))) {
      as(team.token())
          .body(Map.of("name", bad))
          .post("/api/v1/environments")
          .then()
          .statusCode(400);
    }
    as(team.token())
        .get("/api/v1/environments")
        .then()
        .body("environments.name", contains("default", "prod"));
  }

  @Test
  void a2F10AdminSeesPlatformAndOwnRunnersMemberIs403() throws Exception {
    ApiFixtures.Team admin = signup("team-admin-access");
    ApiFixtures.Team other = signup("team-member-access");
    RunnerRef own = fixtures.runner(admin.id(), "default");
    RunnerRef foreign = fixtures.runner(other.id(), "default");
    fixtures.platformRunner("default"); // the test owns what it asserts, whatever ran before
    String ownName = fixtures.runnerName(own.runnerId());
    String foreignName = fixtures.runnerName(foreign.runnerId());
    as(ApiFixtures.memberToken(admin))
        .get("/api/v1/admin/runners")
        .then()
        .statusCode(403)
        .body("error.message", equalTo("admin role required"));
    var runners =
        as(admin.token()).get("/api/v1/admin/runners").then().statusCode(200).extract().jsonPath();
    List<String> names = runners.getList("runners.name");
    assertThat(names).contains(ownName).doesNotContain(foreignName);
    assertThat(runners.getList("runners.scope", String.class)).containsOnly("platform", "team");
    List<Map<String, Object>> mine = runners.getList("runners.findAll { it.scope == 'team' }");
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0)).containsEntry("name", ownName).containsEntry("status", "online");
  }
}
