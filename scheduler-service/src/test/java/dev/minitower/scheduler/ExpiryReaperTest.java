package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.platform.pg.DatabaseAvailability;
import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.scheduler.liveness.RunnerLiveness;
import dev.minitower.scheduler.reaper.ExpiryReaper;
import dev.minitower.scheduler.retention.RetentionSweeper;
import dev.minitower.scheduler.schedules.ScheduleFirer;
import dev.minitower.store.runs.LeaseClock;
import dev.minitower.testsupport.DbFixtures;
import dev.minitower.testsupport.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reaper's three paths, its timing and its safety with two replicas, on a settable clock. */
@QuarkusTest
class ExpiryReaperTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  private static final Duration PAST_TTL = RunSteps.TTL.plusSeconds(1);

  @Inject ExpiryReaper reaper;
  @Inject SchedulerLoops loops;
  @Inject RunSteps steps;
  @Inject DbFixtures db;
  @Inject SettableClock clock;
  @Inject RunnerLiveness liveness;
  @Inject ScheduleFirer firer;
  @Inject RetentionSweeper retention;
  @Inject SchedulerConfig config;
  @Inject DatabaseAvailability database;

  DbFixtures.App app;
  long runner;

  @BeforeEach
  void setUp() {
    clock.reset();
    db.clearQueue();
    app = db.app(DbFixtures.uniqueEnvironment());
    runner = db.runner(null, app.env(), 256);
  }

  /**
   * Issue 18: a scheduler host whose clock runs an hour ahead must not reap live leases or mark
   * live runners offline. Production loops judge by the database's clock ({@link LeaseClock}
   * answers null); before, the tick passed this host's time.
   */
  @Test
  void aSchedulerHostWhoseClockRunsAheadReapsNothingThatIsLive() {
    long run = steps.create(app, 0, false);
    steps.lease(runner, app.env(), 256).orElseThrow();
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    SchedulerLoops production =
        new SchedulerLoops(
            reaper, liveness, firer, retention, config, ahead, database, new LeaseClock());

    production.expiryTick();

    assertThat(db.runStatus(run)).isEqualTo("leased");
    assertThat(db.string("SELECT status FROM runners WHERE id = ?", runner)).isEqualTo("online");
    // The same tick after the lease really expired (by the database's clock) reaps it.
    db.exec(
        "UPDATE run_attempts SET lease_expires_at = now() - interval '1 second' WHERE run_id = ?",
        run);
    production.expiryTick();
    assertThat(db.runStatus(run)).isEqualTo("dead");
  }

  @Test
  void leaseNotYetExpiredIsLeftAlone() {
    long run = steps.create(app, 0, false);
    steps.lease(runner, app.env(), 256).orElseThrow();
    clock.realTimePlus(RunSteps.TTL.minusSeconds(5));

    assertThat(reaper.reapExpired(clock.instant()).processed()).isZero();
    assertThat(db.runStatus(run)).isEqualTo("leased");
  }

  @Test
  void expiredLeaseWithRetriesLeftIsRequeuedThenDeadWhenRetriesRunOut() {
    long run = steps.create(app, 1, false);
    steps.start(steps.lease(runner, app.env(), 256).orElseThrow());

    ExpiryReaper.Pass first = reaper.reapExpired(clock.realTimePlus(PAST_TTL));
    assertThat(first.retried()).isEqualTo(1);
    assertThat(db.runStatus(run)).isEqualTo("queued");
    assertThat(db.count("SELECT retry_count FROM runs WHERE id = ?", run)).isEqualTo(1);
    assertThat(
            db.string("SELECT status FROM run_attempts WHERE run_id = ? AND attempt_no = 1", run))
        .isEqualTo("expired");

    steps.lease(runner, app.env(), 256).orElseThrow();
    ExpiryReaper.Pass second = reaper.reapExpired(clock.realTimePlus(PAST_TTL));
    assertThat(second.dead()).isEqualTo(1);
    assertThat(db.runStatus(run)).isEqualTo("dead");
    assertThat(eventTypes(run))
        .containsExactly(
            "dev.minitower.run.created",
            "dev.minitower.run.leased",
            "dev.minitower.run.started",
            "dev.minitower.run.requeued",
            "dev.minitower.run.leased",
            "dev.minitower.run.dead");
  }

  @Test
  void expiredLeaseOfACancellingRunIsCancelledNotRetried() {
    long run = steps.create(app, 3, false);
    steps.start(steps.lease(runner, app.env(), 256).orElseThrow());
    steps.cancel(app.teamId(), run);
    assertThat(db.runStatus(run)).isEqualTo("cancelling");

    ExpiryReaper.Pass pass = reaper.reapExpired(clock.realTimePlus(PAST_TTL));

    assertThat(pass.cancelled()).isEqualTo(1);
    assertThat(db.runStatus(run)).isEqualTo("cancelled");
    assertThat(db.count("SELECT retry_count FROM runs WHERE id = ?", run)).isZero();
  }

  @Test
  void failedRunThatRetriesOnFailureWaitsForItsBackoff() {
    long run = steps.create(app, 2, true);
    RunSteps.Lease lease = steps.lease(runner, app.env(), 256).orElseThrow();
    steps.start(lease);
    steps.complete(lease, "failed", 1);

    assertThat(db.runStatus(run)).isEqualTo("queued");
    // test profile: backoff base 1 minute, so the run is not leasable yet
    assertThat(
            db.count(
                "SELECT count(*) FROM runs WHERE id = ?"
                    + " AND available_at > now() + interval '50 seconds'",
                run))
        .isEqualTo(1);
    assertThat(steps.lease(runner, app.env(), 256)).isEmpty();
    // nothing for the reaper: the failed attempt is finished, not expired
    assertThat(reaper.reapExpired(clock.realTimePlus(PAST_TTL)).processed()).isZero();
  }

  @Test
  void reaperOutcomesAreCountedInTheRunMetrics() {
    long retried = steps.create(app, 1, false);
    long dead = steps.create(app, 0, false);
    steps.lease(runner, app.env(), 256).orElseThrow();
    steps.lease(runner, app.env(), 256).orElseThrow();

    loops.expiryTick(); // real time: nothing expired yet
    assertThat(db.runStatus(retried)).isEqualTo("leased");
    clock.realTimePlus(PAST_TTL);
    loops.expiryTick();

    assertThat(db.runStatus(retried)).isEqualTo("queued");
    assertThat(db.runStatus(dead)).isEqualTo("dead");
    String metrics = Management.scrape(management);
    assertThat(metrics)
        .containsPattern(
            "minitower_runs_retried_total\\{app=\""
                + app.appSlug()
                + "\",team=\"[^\"]+\",?\\} 1\\.0")
        .containsPattern(
            "minitower_runs_completed_total\\{app=\""
                + app.appSlug()
                + "\",status=\"dead\",team=\"[^\"]+\",?\\} 1\\.0");
  }

  @Test
  void twoReapersRunningTogetherReapEachAttemptExactlyOnce() throws Exception {
    int runs = 300;
    long runner2 = db.runner(null, app.env(), 256);
    for (int i = 0; i < runs; i++) {
      steps.create(app, i % 2, false);
    }
    for (int i = 0; i < runs; i++) {
      steps.lease(i % 2 == 0 ? runner : runner2, app.env(), 256).orElseThrow();
    }
    Instant now = clock.realTimePlus(PAST_TTL);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<ExpiryReaper.Pass>> passes = new ArrayList<>();
      Callable<ExpiryReaper.Pass> replica = () -> reaper.reapExpired(now);
      passes.add(pool.submit(replica));
      passes.add(pool.submit(replica));
      int processed = 0;
      for (Future<ExpiryReaper.Pass> p : passes) {
        processed += p.get().processed();
      }
      assertThat(processed).isEqualTo(runs);
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            db.count(
                "SELECT count(*) FROM runs WHERE app_id = ? AND status IN ('queued', 'dead')",
                app.appId()))
        .isEqualTo(runs);
    assertThat(
            db.count(
                "SELECT count(*) FROM outbox WHERE event_type IN"
                    + " ('dev.minitower.run.requeued', 'dev.minitower.run.dead')"
                    + " AND (payload->'data'->>'app_id')::bigint = ?",
                app.appId()))
        .as("one reaper event per attempt")
        .isEqualTo(runs);
    assertThat(
            db.count(
                "SELECT count(*) FROM run_attempts a JOIN runs r ON r.id = a.run_id"
                    + " WHERE r.app_id = ? AND a.status = 'expired'",
                app.appId()))
        .isEqualTo(runs);
  }

  private List<String> eventTypes(long run) {
    List<String> out = new ArrayList<>();
    long n =
        db.count(
            "SELECT count(*) FROM outbox WHERE topic = 'minitower.run-events' AND message_key = ?",
            Long.toString(run));
    for (int i = 0; i < n; i++) {
      out.add(
          db.string(
              "SELECT event_type FROM outbox WHERE message_key = ? AND topic = 'minitower.run-events'"
                  + " ORDER BY (payload->>'sequence')::int OFFSET ? LIMIT 1",
              Long.toString(run),
              i));
    }
    return out;
  }
}
