package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.store.runs.RunChannels;
import dev.minitower.store.runs.RunLifecycle;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hot-path additions of the runner protocol (docs/leasing.md): batch lease with fused start,
 * the result that carries the last log lines, the cancel push, and the runner-token cache.
 */
@QuarkusTest
class HotPathProtocolTest {
  @Inject DbFixtures db;
  @Inject RunLifecycle transitions;
  @Inject PgNotifications notifications;

  private String env;
  private DbFixtures.App app;

  @BeforeEach
  void ownEnvironment() {
    env = DbFixtures.uniqueEnvironment();
    app = db.app(env);
  }

  private static Response batchLease(Runner runner, Object body, String wait) {
    var req =
        given()
            .header("Authorization", "Bearer " + runner.token())
            .contentType(ContentType.JSON)
            .body(body);
    return wait == null
        ? req.post("/api/v1/runners/lease")
        : req.queryParam("wait", wait).post("/api/v1/runners/lease");
  }

  @Test
  void batchLeaseStartsUpToTheFreeSlotsInOneCallWithBothEvents() {
    for (int i = 0; i < 5; i++) {
      db.queuedRun(app, i, 0);
    }
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 3);
    Response r = batchLease(runner, Map.of("max", 5, "start", true), null);
    r.then().statusCode(200);
    List<Map<String, Object>> leases = r.jsonPath().getList("leases");
    assertThat(leases).hasSize(3);
    // Pick order: highest priority first.
    assertThat(leases).extracting(l -> l.get("started")).containsOnly(true);
    List<Long> ids = leases.stream().map(l -> ((Number) l.get("run_id")).longValue()).toList();
    assertThat(ids)
        .containsExactlyElementsOf(
            db.longs(
                "SELECT id FROM runs WHERE app_id = ? ORDER BY priority DESC LIMIT 3",
                app.appId()));
    assertThat(leases).extracting(l -> l.get("lease_token")).doesNotHaveDuplicates();
    for (long id : ids) {
      assertThat(db.runStatus(id)).isEqualTo("running");
      assertThat(
              db.string(
                  "SELECT status || ':' || (started_at IS NOT NULL) FROM run_attempts"
                      + " WHERE run_id = ?",
                  id))
          .isEqualTo("running:true");
      assertThat(
              db.string(
                  "SELECT string_agg(replace(event_type, 'dev.minitower.', '') || '@' || (payload->>'sequence'), ','"
                      + " ORDER BY id) FROM outbox WHERE topic = 'minitower.run-events'"
                      + " AND message_key = ?",
                  Long.toString(id)))
          .isEqualTo("run.leased@1,run.started@2");
    }
    // No free slot left: the original's 409.
    batchLease(runner, Map.of("max", 2), null)
        .then()
        .statusCode(409)
        .body("error.code", equalTo("conflict"));
  }

  @Test
  void batchLeaseWithoutStartLeavesRunsLeasedAndAnswers204WhenEmpty() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 4);
    Response r = batchLease(runner, Map.of("max", 4), null);
    r.then().statusCode(200);
    assertThat(r.jsonPath().getList("leases")).hasSize(1);
    assertThat(r.jsonPath().getMap("leases[0]")).doesNotContainKey("started");
    assertThat(db.runStatus(run)).isEqualTo("leased");
    batchLease(runner, Map.of("max", 3), "200ms").then().statusCode(204);
  }

  @Test
  void batchLeaseRejectsBadBodiesAndChangesNothing() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 4);
    for (String body :
        List.of(
            "{\"max\":0}",
            "{\"max\":257}",
            "{\"max\":\"2\"}",
            "{\"start\":\"yes\"}",
            "{\"max\":2,\"max\":3}",
            "{\"max\":2,\"surprise\":1}",
            "[1]",
            "{\"max\":2")) {
      batchLease(runner, body, null)
          .then()
          .statusCode(400)
          .body("error.code", equalTo("invalid_request"));
    }
    assertThat(db.runStatus(run)).isEqualTo("queued");
    given()
        .header("Authorization", "Bearer mtr_unknown")
        .post("/api/v1/runners/lease")
        .then()
        .statusCode(401);
  }

  @Test
  void theResultCarriesTheLastLogLinesInItsTransactionAndARepeatAddsNothing() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 1);
    String token =
        batchLease(runner, Map.of("max", 1, "start", true), null)
            .jsonPath()
            .getString("leases[0].lease_token");
    Map<String, Object> body =
        Map.of(
            "status",
            "completed",
            "exit_code",
            0,
            "logs",
            List.of(RunnerApi.line(1, "stdout", "one"), RunnerApi.line(2, "stderr", "two")));
    Response bad =
        postResult(
            runner,
            token,
            run,
            Map.of("status", "completed", "logs", List.of(RunnerApi.line(1, "video", "x"))));
    bad.then().statusCode(400);
    assertThat(db.runStatus(run)).isEqualTo("running");
    postResult(runner, token, run, body).then().statusCode(200);
    postResult(runner, token, run, body).then().statusCode(200);
    assertThat(db.runStatus(run)).isEqualTo("completed");
    assertThat(
            db.string(
                "SELECT string_agg(stream || ':' || line, ',' ORDER BY seq) FROM run_logs"
                    + " WHERE run_id = ?",
                run))
        .isEqualTo("stdout:one,stderr:two");
  }

  @Test
  void aFailedResultThatRetriesStoresItsLinesRequeuesTheRunAndAnnouncesTheLines() {
    long run = db.queuedRun(app, 0, 1);
    db.exec("UPDATE runs SET retry_on_failure = true WHERE id = ?", run);
    List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
    notifications.listen(RunChannels.logs(), p -> announced.add(String.valueOf(p)));
    // Listening once a probe of our own comes back.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              db.string("SELECT pg_notify(?, 'probe')::text", RunChannels.logs());
              return announced.contains("probe");
            });
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 1);
    String token =
        batchLease(runner, Map.of("max", 1, "start", true), null)
            .jsonPath()
            .getString("leases[0].lease_token");
    postResult(
            runner,
            token,
            run,
            Map.of(
                "status",
                "failed",
                "exit_code",
                3,
                "logs",
                List.of(RunnerApi.line(1, "stdout", "tried"), RunnerApi.line(2, "stderr", "boom"))))
        .then()
        .statusCode(200);
    // One statement stored the lines and requeued the run (a retry of the one allowed).
    assertThat(db.runStatus(run)).isEqualTo("queued");
    assertThat(db.string("SELECT retry_count::text FROM runs WHERE id = ?", run)).isEqualTo("1");
    assertThat(
            db.string(
                "SELECT string_agg(stream || ':' || line, ',' ORDER BY seq) FROM run_logs"
                    + " WHERE run_id = ?",
                run))
        .isEqualTo("stdout:tried,stderr:boom");
    await().atMost(Duration.ofSeconds(30)).until(() -> announced.contains(Long.toString(run)));
  }

  @Test
  void aResultThatAsksForItsNextRunGetsItStartedInTheSameTransaction() {
    long first = db.queuedRun(app, 1, 0);
    long second = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 1);
    String token =
        batchLease(runner, Map.of("max", 1, "start", true), null)
            .jsonPath()
            .getString("leases[0].lease_token");
    Map<String, Object> next = Map.of("max", 1, "start", true);
    // The runner's only slot is freed by this very result, so the next run fits in it.
    Response r =
        postResult(
            runner,
            token,
            first,
            Map.of(
                "status",
                "completed",
                "exit_code",
                0,
                "logs",
                List.of(RunnerApi.line(1, "stdout", "done")),
                "next",
                next));
    r.then().statusCode(200).body("status", equalTo("ok"));
    List<Map<String, Object>> leases = r.jsonPath().getList("leases");
    assertThat(leases).hasSize(1);
    assertThat(((Number) leases.get(0).get("run_id")).longValue()).isEqualTo(second);
    assertThat(leases.get(0).get("started")).isEqualTo(true);
    assertThat(db.runStatus(first)).isEqualTo("completed");
    assertThat(db.runStatus(second)).isEqualTo("running");
    assertThat(
            db.string(
                "SELECT string_agg(replace(event_type, 'dev.minitower.', ''), ',' ORDER BY id)"
                    + " FROM outbox WHERE topic = 'minitower.run-events' AND message_key = ?",
                Long.toString(second)))
        .isEqualTo("run.leased,run.started");
    // The granted lease is a real one: its result is accepted; an empty queue answers no lease.
    String secondToken = (String) leases.get(0).get("lease_token");
    postResult(runner, secondToken, second, Map.of("status", "completed", "next", next))
        .then()
        .statusCode(200)
        .body("leases.size()", equalTo(0));
    assertThat(db.runStatus(second)).isEqualTo("completed");
    // A result without next keeps the original answer exactly.
    assertThat(
            postResult(runner, secondToken, second, Map.of("status", "completed"))
                .then()
                .statusCode(200)
                .extract()
                .asString())
        .isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void aResultLeasesNoMoreThanTheSlotsFreeAndAnEmptyQueueAnswersNoLease() {
    long first = db.queuedRun(app, 2, 0);
    long second = db.queuedRun(app, 1, 0);
    long third = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 2);
    List<Map<String, Object>> held =
        batchLease(runner, Map.of("max", 2, "start", true), null).jsonPath().getList("leases");
    assertThat(held).hasSize(2);
    // Asking for two while only the finished run's slot frees up: one is granted.
    Response r =
        postResult(
            runner,
            (String) held.get(0).get("lease_token"),
            first,
            Map.of("status", "failed", "exit_code", 1, "next", Map.of("max", 2, "start", true)));
    r.then().statusCode(200);
    assertThat(r.jsonPath().getList("leases")).hasSize(1);
    assertThat(db.runStatus(first)).isEqualTo("failed");
    assertThat(db.runStatus(third)).isEqualTo("running");
    // Both slots busy again (second, third) and the queue empty: a result frees one slot, finds
    // nothing to lease, and still answers 200 with no lease.
    postResult(
            runner,
            (String) held.get(1).get("lease_token"),
            second,
            Map.of("status", "cancelled", "next", Map.of("max", 1)))
        .then()
        .statusCode(200)
        .body("leases.size()", equalTo(0));
    assertThat(db.runStatus(second)).isEqualTo("cancelled");
  }

  @Test
  void aRepeatedResultLeasesNothingMore() {
    long first = db.queuedRun(app, 2, 0);
    long second = db.queuedRun(app, 1, 0);
    long third = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 2);
    String token =
        batchLease(runner, Map.of("max", 1, "start", true), null)
            .jsonPath()
            .getString("leases[0].lease_token");
    Map<String, Object> body =
        Map.of("status", "completed", "next", Map.of("max", 1, "start", true));
    Response stored = postResult(runner, token, first, body);
    stored.then().statusCode(200);
    assertThat(stored.jsonPath().getList("leases")).hasSize(1);
    // The answer was lost and the result is sent again: accepted, and nothing more is leased
    // (the runner still has a free slot, and the third run is queued).
    postResult(runner, token, first, body).then().statusCode(200).body("leases.size()", equalTo(0));
    assertThat(db.runStatus(second)).isEqualTo("running");
    assertThat(db.runStatus(third)).isEqualTo("queued");
  }

  @Test
  void aBadNextIsRefusedBeforeAnythingIsStored() {
    long run = db.queuedRun(app, 0, 0);
    db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 1);
    String token =
        batchLease(runner, Map.of("max", 1, "start", true), null)
            .jsonPath()
            .getString("leases[0].lease_token");
    for (String body :
        List.of(
            "{\"status\":\"completed\",\"next\":{\"max\":0}}",
            "{\"status\":\"completed\",\"next\":{\"max\":257}}",
            "{\"status\":\"completed\",\"next\":{\"max\":1,\"other\":1}}",
            "{\"status\":\"completed\",\"next\":[1]}",
            "{\"status\":\"completed\",\"next\":{\"start\":\"yes\"}}")) {
      given()
          .header("Authorization", "Bearer " + runner.token())
          .header("X-Lease-Token", token)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/v1/runs/" + run + "/result")
          .then()
          .statusCode(400)
          .body("error.code", equalTo("invalid_request"));
    }
    assertThat(db.runStatus(run)).isEqualTo("running");
    assertThat(db.longs("SELECT id FROM runs WHERE app_id = ? AND status = 'queued'", app.appId()))
        .hasSize(1);
  }

  private static Response postResult(
      Runner runner, String token, long run, Map<String, Object> body) {
    return given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/runs/" + run + "/result");
  }

  private static Response cancels(Runner runner, List<Long> ignore, String wait) {
    return given()
        .header("Authorization", "Bearer " + runner.token())
        .contentType(ContentType.JSON)
        .body(Map.of("ignore", ignore))
        .queryParam("wait", wait)
        .post("/api/v1/runners/cancels");
  }

  @Test
  void theCancelPushWakesTheHoldingRunnerWhenTheCancelCommits() throws Exception {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 2);
    batchLease(runner, Map.of("max", 1, "start", true), null).then().statusCode(200);
    // Nothing to stop yet: a short watch ends empty.
    cancels(runner, List.of(), "300ms").then().statusCode(200).body("run_ids.size()", equalTo(0));
    // A 25 s watch answers as soon as the cancel commits (well before its wait would end).
    CompletableFuture<Response> watch =
        CompletableFuture.supplyAsync(() -> cancels(runner, List.of(), "25s"));
    Thread.sleep(300);
    assertThat(watch).isNotDone();
    QuarkusTransaction.requiringNew().call(() -> transitions.cancel(app.teamId(), run));
    Response answer = watch.get(15, TimeUnit.SECONDS);
    answer.then().statusCode(200);
    assertThat(answer.jsonPath().getList("run_ids", Long.class)).containsExactly(run);
    // A run the runner already stops is not repeated.
    cancels(runner, List.of(run), "300ms")
        .then()
        .statusCode(200)
        .body("run_ids.size()", equalTo(0));
    // Another runner is never told about it.
    Runner other = register(DbFixtures.uniqueSlug("runner"), env, 1);
    cancels(other, List.of(), "300ms").then().statusCode(200).body("run_ids.size()", equalTo(0));
  }

  @Test
  void theCancelWatchRejectsBadBodies() {
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 1);
    for (String body : List.of("{\"ignore\":[\"x\"]}", "{\"ignore\":[null]}", "{\"other\":1}")) {
      given()
          .header("Authorization", "Bearer " + runner.token())
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/v1/runners/cancels")
          .then()
          .statusCode(400);
    }
    given()
        .header("Authorization", "Bearer " + runner.token())
        .queryParam("wait", "soon")
        .post("/api/v1/runners/cancels")
        .then()
        .statusCode(400);
  }

  @Test
  void aCachedRunnerTokenStopsWorkingWhenTheRunnerGoesOffline() {
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env, 1);
    batchLease(runner, Map.of("max", 1), null).then().statusCode(204);
    batchLease(runner, Map.of("max", 1), null).then().statusCode(204);
    // Another service (the scheduler's offline sweep, api-service) changes the row directly.
    db.exec("UPDATE runners SET status = 'offline' WHERE id = ?", runner.id());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> batchLease(runner, Map.of("max", 1), null).then().statusCode(401));
    given()
        .header("Authorization", "Bearer " + runner.token())
        .post("/api/v1/runs/lease")
        .then()
        .statusCode(401);
  }
}
