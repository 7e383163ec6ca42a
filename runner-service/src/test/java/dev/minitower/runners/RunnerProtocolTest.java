package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.call;
import static dev.minitower.runners.RunnerApi.lease;
import static dev.minitower.runners.RunnerApi.leaseRaw;
import static dev.minitower.runners.RunnerApi.line;
import static dev.minitower.runners.RunnerApi.logs;
import static dev.minitower.runners.RunnerApi.register;
import static dev.minitower.runners.RunnerApi.result;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.minitower.runners.RunnerApi.Lease;
import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.store.runs.RunLifecycle;
import dev.minitower.store.runs.RunReaper;
import dev.minitower.testsupport.DbFixtures;
import dev.minitower.testsupport.Management;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Black-box runner protocol tests (docs/spec/test-catalogue.md §5–6 ids in the names) on the real
 * database.
 */
@QuarkusTest
class RunnerProtocolTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  @Inject DbFixtures db;
  @Inject RunLifecycle lifecycle;
  @Inject RunReaper reaper;

  private String env;
  private DbFixtures.App app;

  @BeforeEach
  void ownEnvironment() {
    env = DbFixtures.uniqueEnvironment();
    app = db.app(env);
  }

  private static String name() {
    return DbFixtures.uniqueSlug("runner");
  }

  @Test
  void h2_reRegistrationRotatesTheTokenAndTheOldOneIs401() {
    String name = name();
    var first = register(RunnerApi.REGISTRATION_TOKEN, Map.of("name", name, "environment", env));
    first.then().statusCode(201).body("token", notNullValue());
    var second = register(RunnerApi.REGISTRATION_TOKEN, Map.of("name", name, "environment", env));
    second.then().statusCode(200).body("runner_id", equalTo(first.jsonPath().getInt("runner_id")));
    String t1 = first.jsonPath().getString("token");
    String t2 = second.jsonPath().getString("token");
    assertThat(t2).isNotEqualTo(t1).startsWith("mtr_").hasSize(47);
    leaseRaw(new Runner(0, t1)).then().statusCode(401).body("error.code", equalTo("unauthorized"));
    leaseRaw(new Runner(0, t2)).then().statusCode(204);
  }

  @Test
  void registrationCannotTakeOverANameWhoseTokenIsInUse() {
    String name = name();
    Runner live = register(name, env);
    leaseRaw(live).then().statusCode(204);
    register(RunnerApi.REGISTRATION_TOKEN, Map.of("name", name, "environment", env))
        .then()
        .statusCode(409)
        .body("error.code", equalTo("conflict"));
    leaseRaw(live).then().statusCode(204);
  }

  @Test
  void registrationNeedsTheRegistrationTokenAndAName() {
    register("wrong", Map.of("name", name())).then().statusCode(401);
    register(RunnerApi.REGISTRATION_TOKEN, Map.of("environment", env))
        .then()
        .statusCode(400)
        .body("error.message", equalTo("name is required"));
    register(RunnerApi.REGISTRATION_TOKEN, Map.of("name", name(), "max_concurrent", 0))
        .then()
        .statusCode(400);
    given().post("/api/v1/runs/lease").then().statusCode(401);
    given()
        .header("Authorization", "Bearer mtk_notarunner")
        .post("/api/v1/runs/lease")
        .then()
        .statusCode(401);
  }

  @Test
  void teamRegistrationTokenRegistersARunnerThatLeasesOnlyThatTeamsRuns() {
    String teamToken = "mrt_" + UUID.randomUUID();
    db.exec(
        "INSERT INTO runner_registration_tokens (team_id, token_hash) VALUES (?, ?)",
        app.teamId(),
        DbFixtures.sha256(teamToken));
    DbFixtures.App other = db.app(env);
    db.queuedRun(other, 10, 0);
    long mine = db.queuedRun(app, 0, 0);
    var r = register(teamToken, Map.of("name", name(), "environment", env));
    r.then().statusCode(201).body("team_id", equalTo((int) app.teamId()));
    Runner teamRunner =
        new Runner(r.jsonPath().getLong("runner_id"), r.jsonPath().getString("token"));
    assertThat(lease(teamRunner).runId()).isEqualTo(mine);
  }

  @Test
  void h3_wrongLeaseTokenIs410OnEveryCall() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    lease(runner);
    String wrong = UUID.randomUUID().toString();
    call(runner, wrong, run, "start").then().statusCode(410).body("error.code", equalTo("gone"));
    call(runner, wrong, run, "heartbeat").then().statusCode(410);
    logs(runner, wrong, run, List.of(line(1, "stdout", "x"))).then().statusCode(410);
    result(runner, wrong, run, "completed", 0).then().statusCode(410);
    given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", wrong)
        .get("/api/v1/runs/" + run + "/artifact")
        .then()
        .statusCode(410);
  }

  @Test
  void h4_anotherRunnerPresentingAValidLeaseTokenIs410() {
    long run = db.queuedRun(app, 0, 0);
    Runner owner = register(name(), env);
    Runner attacker = register(name(), env);
    Lease l = lease(owner);
    call(attacker, l.leaseToken(), run, "start").then().statusCode(410);
  }

  @Test
  void h5_startAndHeartbeatAnswerTheAttemptView() {
    db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    assertThat(l.body())
        .containsKeys("run_no", "app_slug", "version_no", "entrypoint", "lease_expires_at");
    assertThat(l.leaseToken()).hasSize(43);
    call(runner, l.leaseToken(), l.runId(), "start")
        .then()
        .statusCode(200)
        .body("status", equalTo("running"))
        .body("run_status", equalTo("running"))
        .body("cancel_requested", equalTo(false))
        .body("lease_expires_at", notNullValue());
    call(runner, l.leaseToken(), l.runId(), "heartbeat")
        .then()
        .statusCode(200)
        .body("lease_expires_at", notNullValue())
        .body("cancel_requested", equalTo(false));
  }

  @Test
  void h6_startAfterCancelTellsTheRunnerToStop() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    cancel(run);
    call(runner, l.leaseToken(), run, "start")
        .then()
        .statusCode(200)
        .body("status", equalTo("cancelling"))
        .body("cancel_requested", equalTo(true))
        .body("run_status", equalTo("cancelling"));
  }

  @Test
  void h8_heartbeatCarriesTheCancelRequest() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    cancel(run);
    call(runner, l.leaseToken(), run, "heartbeat")
        .then()
        .statusCode(200)
        .body("cancel_requested", equalTo(true));
  }

  @Test
  void h9_cancelRacingAResultEndsConsistently() throws Exception {
    for (int i = 0; i < 5; i++) {
      long run = db.queuedRun(app, 0, 0);
      Runner runner = register(name(), env);
      Lease l = lease(runner);
      CompletableFuture<Integer> res =
          CompletableFuture.supplyAsync(
              () -> result(runner, l.leaseToken(), run, "completed", 0).statusCode());
      CompletableFuture<Void> can = CompletableFuture.runAsync(() -> cancel(run));
      int code = res.get();
      can.get();
      String status = db.runStatus(run);
      assertThat(code).isIn(200, 409);
      if (code == 200) {
        assertThat(status).isEqualTo("completed");
      } else {
        assertThat(status).isIn("cancelling", "cancelled");
      }
    }
  }

  @Test
  void h10_resultAfterTheReaperEndedTheRunIs410() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    for (long attempt : db.attemptIdsOfApp(app.appId())) {
      QuarkusTransaction.requiringNew().call(() -> reaper.reap(attempt, later));
    }
    result(runner, l.leaseToken(), run, "failed", 1).then().statusCode(410);
    assertThat(db.runStatus(run)).isEqualTo("dead");
  }

  @Test
  void expiredLeaseIsRefusedBeforeAnyReaperRuns() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    db.expireLease(run);
    call(runner, l.leaseToken(), run, "heartbeat").then().statusCode(410);
    logs(runner, l.leaseToken(), run, List.of(line(1, "stdout", "late"))).then().statusCode(410);
    result(runner, l.leaseToken(), run, "completed", 0).then().statusCode(410);
    assertThat(db.runStatus(run)).isEqualTo("leased");
  }

  @Test
  void s1_twoRunnersRacingForOneRunLeaseItOnce() throws Exception {
    long run = db.queuedRun(app, 0, 0);
    Runner a = register(name(), env);
    Runner b = register(name(), env);
    var fa = CompletableFuture.supplyAsync(() -> leaseRaw(a).statusCode());
    var fb = CompletableFuture.supplyAsync(() -> leaseRaw(b).statusCode());
    List<Integer> codes = List.of(fa.get(), fb.get());
    assertThat(codes).containsOnlyOnce(200);
    assertThat(db.count("SELECT count(*) FROM run_attempts WHERE run_id = ?", run)).isEqualTo(1);
  }

  @Test
  void s2_aRunnerAtItsLimitGets409AndTheOtherRunStaysQueued() {
    db.queuedRun(app, 0, 0);
    long second = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    lease(runner);
    leaseRaw(runner)
        .then()
        .statusCode(409)
        .body("error.message", equalTo("runner already has an active lease"));
    assertThat(db.runStatus(second)).isEqualTo("queued");
  }

  @Test
  void runnerWithMaxConcurrentHoldsSeveralLeases() {
    db.queuedRun(app, 0, 0);
    db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env, 2);
    lease(runner);
    lease(runner);
    leaseRaw(runner).then().statusCode(409);
  }

  @Test
  void s3_highestPriorityThenOldestIsLeasedFirst() {
    db.queuedRun(app, 0, 0);
    long b = db.queuedRun(app, 5, 0);
    long c = db.queuedRun(app, 5, 0);
    db.exec("UPDATE runs SET queued_at = now() - interval '1 hour' WHERE id = ?", c);
    Runner runner = register(name(), env, 3);
    assertThat(lease(runner).runId()).isEqualTo(c);
    assertThat(lease(runner).runId()).isEqualTo(b);
  }

  @Test
  void s4_duplicateSequenceNumbersAreStoredOnce() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    logs(
            runner,
            l.leaseToken(),
            run,
            List.of(line(1, "stdout", "one"), line(1, "stdout", "dup"), line(2, "stderr", "two")))
        .then()
        .statusCode(200)
        .body("status", equalTo("ok"));
    assertThat(db.count("SELECT count(*) FROM run_logs WHERE run_id = ?", run)).isEqualTo(2);
    assertThat(db.string("SELECT line FROM run_logs WHERE run_id = ? AND seq = 1", run))
        .isEqualTo("one");
  }

  @Test
  void replayedAndReorderedLogBatchesLeaveNoDuplicatesAndNoGaps() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    List<Map<String, Object>> all = new ArrayList<>();
    IntStream.rangeClosed(1, 30).forEach(i -> all.add(line(i, "stdout", "line " + i)));
    List<List<Map<String, Object>>> batches = new ArrayList<>();
    for (int i = 0; i < 30; i += 10) {
      batches.add(all.subList(i, i + 10));
    }
    Collections.reverse(batches);
    batches.add(batches.get(0));
    batches.add(batches.get(2));
    for (var batch : batches) {
      logs(runner, l.leaseToken(), run, batch).then().statusCode(200);
    }
    assertThat(db.count("SELECT count(*) FROM run_logs WHERE run_id = ?", run)).isEqualTo(30);
    assertThat(db.count("SELECT max(seq) - min(seq) + 1 FROM run_logs WHERE run_id = ?", run))
        .isEqualTo(30);
  }

  @Test
  void logBatchesOutsideTheLimitsAreRejectedWhole() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    List<Map<String, Object>> tooMany = new ArrayList<>();
    IntStream.rangeClosed(1, 101).forEach(i -> tooMany.add(line(i, "stdout", "x")));
    logs(runner, l.leaseToken(), run, tooMany)
        .then()
        .statusCode(400)
        .body("error.message", equalTo("max 100 logs per batch"));
    logs(runner, l.leaseToken(), run, List.of(line(1, "stdout", "ok"), line(2, "video", "x")))
        .then()
        .statusCode(400)
        .body("error.message", equalTo("stream must be stdout or stderr"));
    logs(runner, l.leaseToken(), run, List.of(line(1, "stdout", "é".repeat(4097))))
        .then()
        .statusCode(400)
        .body("error.message", equalTo("log line exceeds 8KB"));
    logs(runner, l.leaseToken(), run, List.of(line(-1, "stdout", "neg"))).then().statusCode(400);
    assertThat(db.count("SELECT count(*) FROM run_logs WHERE run_id = ?", run)).isZero();
    given()
        .header("Authorization", "Bearer " + runner.token())
        .post("/api/v1/runs/" + run + "/heartbeat")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("missing lease token"));
    call(runner, l.leaseToken(), 0, "heartbeat")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid run ID"));
    call(runner, l.leaseToken(), -5, "heartbeat").then().statusCode(410);
  }

  @Test
  void s5_startTwiceIsIdempotent() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    call(runner, l.leaseToken(), run, "start")
        .then()
        .statusCode(200)
        .body("status", equalTo("running"));
    call(runner, l.leaseToken(), run, "start")
        .then()
        .statusCode(200)
        .body("status", equalTo("running"));
  }

  @Test
  void s7_heartbeatExtendsTheLease() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    // Pull the live lease 30 s back (TTL is 60 s), so a heartbeat that extends nothing cannot pass
    // however fast the two calls follow each other.
    db.exec(
        "UPDATE run_attempts SET lease_expires_at = lease_expires_at - interval '30 seconds'"
            + " WHERE run_id = ? AND status = 'leased'",
        run);
    Instant before =
        Instant.parse(
            db.string(
                "SELECT to_char(lease_expires_at AT TIME ZONE 'UTC',"
                    + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM run_attempts"
                    + " WHERE run_id = ? AND status = 'leased'",
                run));
    Instant extended =
        Instant.parse(
            call(runner, l.leaseToken(), run, "heartbeat")
                .jsonPath()
                .getString("lease_expires_at"));
    assertThat(extended).isAfter(before.plusSeconds(29));
    assertThat(
            db.count(
                "SELECT count(*) FROM run_attempts WHERE run_id = ? AND"
                    + " lease_expires_at > now() + interval '50 seconds'",
                run))
        .isEqualTo(1);
  }

  @Test
  void s8_s9_sameResultTwiceIsAcceptedAndADifferentOneIs409() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    call(runner, l.leaseToken(), run, "start").then().statusCode(200);
    result(runner, l.leaseToken(), run, "completed", 0)
        .then()
        .statusCode(200)
        .body("status", equalTo("ok"));
    result(runner, l.leaseToken(), run, "completed", 0).then().statusCode(200);
    result(runner, l.leaseToken(), run, "failed", 1).then().statusCode(409);
    assertThat(db.runStatus(run)).isEqualTo("completed");
    given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", l.leaseToken())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "exploded"))
        .post("/api/v1/runs/" + run + "/result")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("status must be completed, failed, or cancelled"));
  }

  @Test
  void s11_s12_cancelledAttemptAcceptsOnlyCancelled() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    cancel(run);
    assertThat(db.runStatus(run)).isEqualTo("cancelling");
    result(runner, l.leaseToken(), run, "completed", 0).then().statusCode(409);
    assertThat(db.string("SELECT status FROM run_attempts WHERE run_id = ?", run))
        .isEqualTo("cancelling");
    result(runner, l.leaseToken(), run, "cancelled", null).then().statusCode(200);
    assertThat(db.runStatus(run)).isEqualTo("cancelled");
  }

  @Test
  void s19_leasingRefreshesTheRunnersLastSeen() {
    db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    db.exec(
        "UPDATE runners SET last_seen_at = now() - interval '1 hour' WHERE id = ?", runner.id());
    lease(runner);
    assertThat(
            db.count(
                "SELECT count(*) FROM runners WHERE id = ? AND last_seen_at > now() - interval '1 minute'",
                runner.id()))
        .isEqualTo(1);
  }

  @Test
  void longPollingRunnerReceivesANewRunWithinASecond() throws Exception {
    Runner runner = register(name(), env);
    long start = System.nanoTime();
    var waiting =
        CompletableFuture.supplyAsync(
            () ->
                given()
                    .header("Authorization", "Bearer " + runner.token())
                    .post("/api/v1/runs/lease?wait=10s"));
    // Create the run through the shared transition so its NOTIFY fires at commit.
    long run =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    lifecycle
                        .create(
                            new dev.minitower.store.runs.RunRecords.NewRun(
                                app.teamId(),
                                app.appId(),
                                app.versionId(),
                                app.envId(),
                                env,
                                null,
                                0,
                                0,
                                false,
                                null,
                                null,
                                null))
                        .runId());
    long created = System.nanoTime();
    var response = waiting.get();
    long answered = System.nanoTime();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.jsonPath().getLong("run_id")).isEqualTo(run);
    assertThat(Duration.ofNanos(answered - created)).isLessThan(Duration.ofSeconds(1));
    assertThat(Duration.ofNanos(answered - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void longPollWithoutWorkAnswers204AfterItsWait() {
    Runner runner = register(name(), env);
    long start = System.nanoTime();
    given()
        .header("Authorization", "Bearer " + runner.token())
        .post("/api/v1/runs/lease?wait=300ms")
        .then()
        .statusCode(204);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    given()
        .header("Authorization", "Bearer " + runner.token())
        .post("/api/v1/runs/lease?wait=soon")
        .then()
        .statusCode(400);
  }

  @Test
  void batchHeartbeatExtendsEveryLiveLeaseAndReportsLostOnes() {
    db.queuedRun(app, 0, 0);
    db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env, 2);
    Lease a = lease(runner);
    Lease b = lease(runner);
    db.expireLease(b.runId());
    given()
        .header("Authorization", "Bearer " + runner.token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "leases",
                List.of(
                    Map.of("run_id", a.runId(), "lease_token", a.leaseToken()),
                    Map.of("run_id", b.runId(), "lease_token", b.leaseToken()))))
        .post("/api/v1/runners/heartbeat")
        .then()
        .statusCode(200)
        .body("leases[0].attempt.status", equalTo("leased"))
        .body("leases[0].attempt.run_id", equalTo((int) a.runId()))
        .body("leases[1].error", equalTo("gone"));
  }

  @Test
  void leaseAndRegistrationAreCountedInMetrics() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(name(), env);
    Lease l = lease(runner);
    call(runner, l.leaseToken(), run, "start").then().statusCode(200);
    String metrics = Management.scrape(management);
    assertThat(metrics)
        .contains("minitower_runs_leased_total{environment=\"" + env + "\"}")
        .contains("minitower_runners_registered_total{environment=\"" + env + "\"}")
        .contains("path=\"/api/v1/runs/{run}/start\"")
        .doesNotContain("path=\"/api/v1/runs/" + run);
  }

  private void cancel(long runId) {
    QuarkusTransaction.requiringNew().call(() -> lifecycle.cancel(app.teamId(), runId));
  }
}
