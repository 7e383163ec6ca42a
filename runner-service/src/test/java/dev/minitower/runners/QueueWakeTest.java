package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.runners.lease.QueueNotifications;
import dev.minitower.store.runs.RunChannels;
import dev.minitower.testsupport.DbFixtures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A queued-run notification wakes one idle long-polling leaser, which hands the wake-up on only
 * when its try does not prove the queue empty for everyone ({@link QueueNotifications}). The tries
 * are counted by {@code minitower_lease_tries_total} (a look that found nothing, or a claim).
 */
@QuarkusTest
@TestProfile(QueueWakeTest.NoRecheck.class)
class QueueWakeTest {
  /**
   * No periodic re-check within a test: a waiter can only be woken by a notification (or a
   * hand-on), so the counts below do not depend on how fast the machine is.
   */
  public static class NoRecheck implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("minitower.lease-recheck-interval", "10m", "minitower.lease-max-wait", "10m");
    }
  }

  @Inject DbFixtures db;
  @Inject QueueNotifications notifications;
  @Inject MeterRegistry meters;

  private static CompletableFuture<Response> longPoll(Runner runner) {
    return CompletableFuture.supplyAsync(
        () ->
            given()
                .header("Authorization", "Bearer " + runner.token())
                .contentType(ContentType.JSON)
                .body(Map.of("max", 1, "start", true))
                .queryParam("wait", "60s")
                .post("/api/v1/runners/lease"));
  }

  /** Lease tries so far, in this JVM (both paths: the look alone, and the claim). */
  private long tries() {
    return Math.round(
        meters.find("minitower.lease.tries").counters().stream().mapToDouble(Counter::count).sum());
  }

  /** Lease tries so far of one path ({@code probe}: the look found nothing; {@code claim}). */
  private long tries(String path) {
    return Math.round(
        meters.find("minitower.lease.tries").tag("path", path).counters().stream()
            .mapToDouble(Counter::count)
            .sum());
  }

  private void announce(String env) {
    db.string("SELECT pg_notify(?, ?)::text", RunChannels.queued(), env);
  }

  @Test
  void aQueuedRunWakesOneIdleRunnerNotEveryOne() throws Exception {
    String env = DbFixtures.uniqueEnvironment();
    DbFixtures.App app = db.app(env);
    List<CompletableFuture<Response>> polls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      polls.add(longPoll(register(DbFixtures.uniqueSlug("idle"), env, 1)));
    }
    // Every poll has made its first (fruitless) try and waits.
    await().atMost(Duration.ofSeconds(30)).until(() -> notifications.waiting(env) == 6);
    long before = tries();
    long claimsBefore = tries("claim");

    long run = db.queuedRun(app, 0, 0);
    announce(env);

    // Answered at once, well before the 5 s re-check.
    Response granted =
        CompletableFuture.anyOf(polls.toArray(CompletableFuture[]::new))
            .thenApply(Response.class::cast)
            .get(3, TimeUnit.SECONDS);
    assertThat(granted.statusCode()).isEqualTo(200);
    assertThat(granted.jsonPath().getLong("leases[0].run_id")).isEqualTo(run);
    // The winner tried, and it handed the wake-up on to one more (which found nothing and stopped
    // the chain); the four others never tried, then or later.
    await().atMost(Duration.ofSeconds(30)).until(() -> tries() - before >= 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> notifications.waiting(env) == 5);
    Thread.sleep(1000);
    assertThat(tries() - before).isEqualTo(2);
    // The notified runner claimed without a look first; the one the wake-up was handed on to
    // looked, found nothing and wrote nothing.
    assertThat(tries("claim") - claimsBefore).isEqualTo(1);
    assertThat(polls.stream().filter(CompletableFuture::isDone)).hasSize(1);
  }

  @Test
  void teamRunnersAreAllWokenAndOneThatFindsNothingWaitsAgainWithoutSpinning() throws Exception {
    String env = DbFixtures.uniqueEnvironment();
    DbFixtures.App teamA = db.app(env);
    DbFixtures.App teamB = db.app(env);
    CompletableFuture<Response> pollA = longPoll(teamRunner(teamA, env));
    CompletableFuture<Response> pollB = longPoll(teamRunner(teamB, env));
    await().atMost(Duration.ofSeconds(30)).until(() -> notifications.waiting(env) == 2);
    long before = tries();

    // Team B's run: the notification does not say whose run it is, so both team runners try.
    long run = db.queuedRun(teamB, 0, 0);
    announce(env);
    Response granted = pollB.get(30, TimeUnit.SECONDS);
    assertThat(granted.statusCode()).isEqualTo(200);
    assertThat(granted.jsonPath().getLong("leases[0].run_id")).isEqualTo(run);
    // A found nothing of its team and waits again: no further try (it does not wake itself).
    await().atMost(Duration.ofSeconds(30)).until(() -> notifications.waiting(env) == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> tries() - before >= 2);
    Thread.sleep(1500);
    assertThat(tries() - before).isEqualTo(2);
    assertThat(pollA).isNotDone();
  }

  private Runner teamRunner(DbFixtures.App app, String env) {
    String token = "mrt_" + UUID.randomUUID();
    db.exec(
        "INSERT INTO runner_registration_tokens (team_id, token_hash) VALUES (?, ?)",
        app.teamId(),
        DbFixtures.sha256(token));
    Response r = register(token, Map.of("name", DbFixtures.uniqueSlug("team"), "environment", env));
    r.then().statusCode(201);
    return new Runner(r.jsonPath().getLong("runner_id"), r.jsonPath().getString("token"));
  }
}
