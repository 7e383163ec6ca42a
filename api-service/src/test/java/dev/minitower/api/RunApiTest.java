package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.minitower.store.runs.RunRecords.RunnerRef;
import dev.minitower.testsupport.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs: create, list, summary, get, cancel, logs, attempts (F-9, T-2, T-3, H-7, S-10, §16). */
@QuarkusTest
class RunApiTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  @Inject RunFixtures fixtures;

  ApiFixtures.Team team;
  String env;

  @BeforeEach
  void ownTeamAndEnvironment() {
    team = ApiFixtures.signup("runs");
    env = ApiFixtures.slug("env");
    as(team.token())
        .body(Map.of("name", env))
        .post("/api/v1/environments")
        .then()
        .statusCode(201)
        .body("name", equalTo(env))
        .body("is_default", equalTo(false));
  }

  String app(String slug) throws Exception {
    as(team.token()).body(Map.of("slug", slug)).post("/api/v1/apps").then().statusCode(201);
    fixtures.version(team.id(), slug, null);
    return slug;
  }

  long run(String app, Map<String, Object> body) {
    return ApiFixtures.createRun(team.token(), app, body);
  }

  long run(String app, int priority) {
    return run(app, Map.of("environment", env, "priority", priority));
  }

  @Test
  void createRunAnswers201WithTheOriginalFieldsAndNoAppSlug() throws Exception {
    app("app-a");
    JsonPath first =
        as(team.token())
            .body(
                "{\"input\":{\"b\":2,\"a\":{\"z\":1,\"y\":[1,2]}},\"environment\":\"" + env + "\"}")
            .post("/api/v1/apps/app-a/runs")
            .then()
            .statusCode(201)
            .body("$", not(hasKey("app_slug")))
            .body("$", not(hasKey("started_at")))
            .body("run_no", equalTo(1))
            .body("version_no", equalTo(1))
            .body("status", equalTo("queued"))
            .body("priority", equalTo(0))
            .body("max_retries", equalTo(0))
            .body("retry_count", equalTo(0))
            .body("cancel_requested", equalTo(false))
            .body("environment", equalTo(env))
            .extract()
            .jsonPath();
    assertThat(first.getMap("$").keySet())
        .startsWith("run_id", "app_id", "run_no", "version_no", "status", "input", "priority");
    String raw =
        as(team.token())
            .get("/api/v1/runs/" + first.getLong("run_id"))
            .then()
            .statusCode(200)
            .body("app_slug", equalTo("app-a"))
            .extract()
            .asString();
    assertThat(raw).contains("\"input\":{\"a\":{\"y\":[1,2],\"z\":1},\"b\":2}");
    as(team.token())
        .body(Map.of("environment", env))
        .post("/api/v1/apps/app-a/runs")
        .then()
        .statusCode(201)
        .body("run_no", equalTo(2))
        .body("$", not(hasKey("input")));
  }

  @Test
  void runsGoToTheDefaultEnvironmentUnlessOneIsNamed() throws Exception {
    app("app-d");
    as(team.token())
        .body("")
        .post("/api/v1/apps/app-d/runs")
        .then()
        .statusCode(201)
        .body("environment", equalTo("default"));
    as(team.token())
        .body(Map.of("environment", "nope"))
        .post("/api/v1/apps/app-d/runs")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("environment not found"));
  }

  @Test
  void theOneLookupOfAppVersionAndEnvironmentKeepsTheOrderOfErrors() throws Exception {
    // App first: a missing app is 404 whatever the body says.
    as(team.token())
        .body("{not json")
        .post("/api/v1/apps/missing-app/runs")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("app not found"));
    app("app-order");
    as(team.token())
        .body("{not json")
        .post("/api/v1/apps/app-order/runs")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"));
    // A version number beyond int, a NUL or an invalid environment name: clean 4xx, no run.
    as(team.token())
        .body(Map.of("version_no", 1L << 40))
        .post("/api/v1/apps/app-order/runs")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("version not found"));
    as(team.token())
        .body(Map.of("environment", "bad\u0000name"))
        .post("/api/v1/apps/app-order/runs")
        .then()
        .statusCode(400);
    as(team.token())
        .body(Map.of("environment", "Not A Name!"))
        .post("/api/v1/apps/app-order/runs")
        .then()
        .statusCode(400);
    // Another team's app of the same slug is not found.
    ApiFixtures.Team other = ApiFixtures.signup("other-runs");
    as(other.token())
        .post("/api/v1/apps/app-order/runs")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("app not found"));
    as(team.token())
        .get("/api/v1/apps/app-order/runs")
        .then()
        .statusCode(200)
        .body("runs.size()", equalTo(0));
  }

  @Test
  void createRunErrorsFollowTheOriginalOrderAndBounds() throws Exception {
    as(team.token()).body(Map.of("slug", "empty-app")).post("/api/v1/apps").then().statusCode(201);
    as(team.token())
        .post("/api/v1/apps/missing-app/runs")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("app not found"));
    as(team.token())
        .post("/api/v1/apps/empty-app/runs")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("no_version"))
        .body("error.message", equalTo("app has no versions"));
    app("app-b");
    as(team.token())
        .body(Map.of("version_no", 9))
        .post("/api/v1/apps/app-b/runs")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("not_found"))
        .body("error.message", equalTo("version not found"));
    for (String bad :
        List.of(
            "{\"priority\":1001}",
            "{\"priority\":-1001}",
            "{\"max_retries\":-1}",
            "{\"max_retries\":101}",
            "{\"priority\":\"5\"}",
            "{\"priority\":1.5}",
            "{\"priority\":1e400}",
            "{\"priority\":123456789012345678901234567890}",
            "{\"input\":[1,2]}",
            "{\"input\":\"x\"}",
            "{\"input\":{\"n\":1e400}}",
            "{\"status\":\"completed\"}",
            "{\"team_id\":1}",
            "{\"priority\":1,\"priority\":2}",
            "{\"input\":{}} trailing",
            "{\"input\":",
            "[]")) {
      as(team.token())
          .body(bad)
          .post("/api/v1/apps/app-b/runs")
          .then()
          .statusCode(400)
          .body("error.code", equalTo("invalid_request"));
    }
    as(team.token())
        .get("/api/v1/apps/app-b/runs")
        .then()
        .statusCode(200)
        .body("runs.size()", equalTo(0));
  }

  @Test
  void idempotencyKeyReplaysTheSameRunAndRefusesADifferentBody() throws Exception {
    app("app-i");
    String body = "{\"environment\":\"" + env + "\",\"input\":{\"k\":1}}";
    long first =
        as(team.token())
            .header("Idempotency-Key", "key-1")
            .body(body)
            .post("/api/v1/apps/app-i/runs")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("run_id");
    as(team.token())
        .header("Idempotency-Key", "key-1")
        .body("{ \"input\": {\"k\": 1}, \"environment\": \"" + env + "\" }")
        .post("/api/v1/apps/app-i/runs")
        .then()
        .statusCode(200)
        .body("run_id", equalTo((int) first));
    as(team.token())
        .header("Idempotency-Key", "key-1")
        .body("{\"environment\":\"" + env + "\",\"input\":{\"k\":2}}")
        .post("/api/v1/apps/app-i/runs")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("conflict"));
    as(team.token()).get("/api/v1/apps/app-i/runs").then().body("runs.size()", equalTo(1));
  }

  @Test
  void createdRunsAreCountedPerTeamAndApp() throws Exception {
    app("app-m");
    run("app-m", 0);
    String metrics = Management.scrape(management);
    assertThat(metrics)
        .containsPattern(
            "minitower_runs_created_total\\{[^}]*app=\"app-m\"[^}]*team=\""
                + team.slug()
                + "\"[^}]*} 1\\.0");
  }

  @Test
  void f9T2ListsOrderByStatusRankAndFilterAndSummarise() throws Exception {
    app("app-a");
    app("app-b");
    long r = run("app-b", 10);
    long l = run("app-b", 5);
    long f = run("app-a", 20);
    long q = run("app-a", 0);
    RunnerRef one = fixtures.runner(team.id(), env);
    RunnerRef two = fixtures.runner(team.id(), env);
    RunFixtures.Lease fl = fixtures.lease(one);
    assertThat(fl.grant().runId()).isEqualTo(f);
    fixtures.complete(fl, "failed", 1, "boom");
    RunFixtures.Lease rl = fixtures.lease(one);
    assertThat(rl.grant().runId()).isEqualTo(r);
    fixtures.start(rl);
    assertThat(fixtures.lease(two).grant().runId()).isEqualTo(l);

    as(team.token())
        .get("/api/v1/runs")
        .then()
        .statusCode(200)
        .body("runs.run_id", contains((int) r, (int) l, (int) q, (int) f))
        .body("runs[0].app_slug", equalTo("app-b"))
        .body("runs[2].app_slug", equalTo("app-a"));
    as(team.token())
        .get("/api/v1/runs?status=queued")
        .then()
        .body("runs.run_id", contains((int) q));
    as(team.token())
        .get("/api/v1/runs?app=app-a")
        .then()
        .body("runs.size()", equalTo(2))
        .body("runs.app_slug", contains("app-a", "app-a"));
    as(team.token()).get("/api/v1/runs?app=nope").then().body("runs.size()", equalTo(0));
    as(team.token())
        .get("/api/v1/runs?status=bogus")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid status filter"));
    as(team.token())
        .get("/api/v1/runs/summary")
        .then()
        .statusCode(200)
        .body("total_runs", equalTo(4))
        .body("active_runs", equalTo(2))
        .body("queued_runs", equalTo(1))
        .body("terminal_runs", equalTo(1));
    as(team.token())
        .get("/api/v1/runs/" + q)
        .then()
        .statusCode(200)
        .body("app_slug", equalTo("app-a"));
    as(team.token())
        .get("/api/v1/apps/app-b/runs")
        .then()
        .statusCode(200)
        .body("runs.run_no", contains(2, 1))
        .body("runs[0]", not(hasKey("app_slug")));
    as(team.token())
        .get("/api/v1/runs?limit=1&offset=1")
        .then()
        .body("runs.run_id", contains((int) l));

    // F-9 / T-3: logs of the leased run, incremental with after_seq.
    RunnerRef three = fixtures.runner(team.id(), env);
    RunFixtures.Lease ql = fixtures.lease(three);
    assertThat(ql.grant().runId()).isEqualTo(q);
    fixtures.logs(ql, "stdout", "one", "stdout", "two", "stderr", "three");
    as(team.token())
        .get("/api/v1/runs/" + q + "/logs")
        .then()
        .statusCode(200)
        .body("logs.size()", equalTo(3));
    as(team.token())
        .get("/api/v1/runs/" + q + "/logs?after_seq=1")
        .then()
        .statusCode(200)
        .body("logs.seq", contains(2, 3))
        .body("logs.stream", contains("stdout", "stderr"))
        .body("logs.line", contains("two", "three"))
        .body("logs[0].attempt_no", equalTo(1))
        .body("logs[0].logged_at", notNullValue());
    as(team.token())
        .get("/api/v1/runs/" + q + "/logs?after_seq=2")
        .then()
        .body("logs.seq", contains(3));
    as(team.token())
        .get("/api/v1/runs/" + q + "/logs?after_seq=-1")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("after_seq must be a non-negative integer"));
  }

  @Test
  void limitAbove100IsClampedAndGarbageIs400() throws Exception {
    app("app-l");
    as(team.token()).get("/api/v1/runs?limit=101").then().statusCode(200);
    as(team.token()).get("/api/v1/runs?limit=abc").then().statusCode(400);
    as(team.token()).get("/api/v1/runs?limit=0").then().statusCode(400);
    as(team.token()).get("/api/v1/apps/app-l/runs?offset=-1").then().statusCode(400);
  }

  @Test
  void logsOfEveryAttemptAreReadableWithACursorAcrossAttempts() throws Exception {
    app("app-r");
    long id = run("app-r", Map.of("environment", env, "max_retries", 1));
    RunnerRef runner = fixtures.runner(team.id(), env);
    RunFixtures.Lease first = fixtures.lease(runner);
    fixtures.start(first);
    fixtures.logs(first, "stdout", "a1", "stdout", "a2");
    fixtures.expire(first);
    RunFixtures.Lease second = fixtures.lease(runner);
    assertThat(second.grant().attemptNo()).isEqualTo(2);
    fixtures.logs(second, "stdout", "b1");

    as(team.token())
        .get("/api/v1/runs/" + id + "/logs")
        .then()
        .statusCode(200)
        .body("logs.attempt_no", contains(1, 1, 2))
        .body("logs.line", contains("a1", "a2", "b1"))
        .body("next_after_attempt", equalTo(2))
        .body("next_after_seq", equalTo(1))
        .body("has_more", equalTo(false));
    as(team.token())
        .get("/api/v1/runs/" + id + "/logs?after_attempt=1&after_seq=1")
        .then()
        .body("logs.line", contains("a2", "b1"));
    // Without after_attempt a positive after_seq means the latest attempt (original clients).
    as(team.token())
        .get("/api/v1/runs/" + id + "/logs?after_seq=1")
        .then()
        .body("logs.size()", equalTo(0));

    as(team.token())
        .get("/api/v1/runs/" + id + "/attempts")
        .then()
        .statusCode(200)
        .body("attempts.attempt_no", contains(1, 2))
        .body("attempts.status", contains("expired", "leased"))
        .body("attempts[0].runner_name", equalTo(fixtures.runnerName(runner.runnerId())))
        .body("attempts[0].started_at", notNullValue())
        .body("attempts[0].finished_at", notNullValue())
        .body("attempts[1].finished_at", nullValue());
    fixtures.complete(second, "failed", 3, "exit 3");
    as(team.token())
        .get("/api/v1/runs/" + id + "/attempts")
        .then()
        .body("attempts[1].status", equalTo("failed"))
        .body("attempts[1].exit_code", equalTo(3))
        .body("attempts[1].error_message", equalTo("exit 3"));
    as(team.token())
        .get("/api/v1/runs/" + id)
        .then()
        .body("status", equalTo("failed"))
        .body("retry_count", equalTo(1))
        .body("finished_at", notNullValue());
  }

  @Test
  void h7S10CancelAQueuedRunEndsItAndIsIdempotent() throws Exception {
    app("app-c");
    long id = run("app-c", 0);
    as(team.token())
        .post("/api/v1/runs/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("cancelled"))
        .body("cancel_requested", equalTo(true))
        .body("finished_at", notNullValue())
        .body("$", not(hasKey("app_slug")));
    as(team.token())
        .post("/api/v1/runs/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("cancelled"));
  }

  @Test
  void h8S11CancelALeasedRunMarksItCancelling() throws Exception {
    app("app-k");
    long id = run("app-k", 0);
    RunFixtures.Lease lease = fixtures.lease(fixtures.runner(team.id(), env));
    as(team.token())
        .post("/api/v1/runs/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("cancelling"))
        .body("cancel_requested", equalTo(true));
    fixtures.complete(lease, "cancelled", null, null);
    as(team.token()).get("/api/v1/runs/" + id).then().body("status", equalTo("cancelled"));
  }

  @Test
  void runIdsAreParsedLikeTheOriginal() {
    as(team.token())
        .get("/api/v1/runs/abc")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid run ID"));
    as(team.token()).get("/api/v1/runs/0").then().statusCode(400);
    as(team.token())
        .get("/api/v1/runs/-5")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("run not found"));
    as(team.token()).post("/api/v1/runs/999999999999/cancel").then().statusCode(404);
  }
}
