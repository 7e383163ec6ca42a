package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.platform.pg.DatabaseAvailability;
import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.scheduler.liveness.RunnerLiveness;
import dev.minitower.scheduler.reaper.FailingReaper;
import dev.minitower.scheduler.retention.RetentionSweeper;
import dev.minitower.scheduler.schedules.ScheduleFirer;
import dev.minitower.testsupport.DbFixtures;
import dev.minitower.testsupport.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runner liveness (docs/spec/runs.md §8): offline after 2 × TTL of silence, pruned after the prune
 * delay.
 */
@QuarkusTest
class RunnerLivenessTest {
  @Inject RunnerLiveness liveness;
  @Inject SchedulerLoops loops;
  @Inject RunSteps steps;
  @Inject DbFixtures db;
  @Inject SettableClock clock;
  @Inject SettableLeaseClock leaseClock;
  @Inject ScheduleFirer firer;
  @Inject RetentionSweeper retention;
  @Inject SchedulerConfig config;
  @Inject DatabaseAvailability database;

  String env;

  @BeforeEach
  void setUp() {
    clock.reset();
    db.clearQueue();
    env = DbFixtures.uniqueEnvironment();
  }

  @Test
  void runnerSeenWithinTwiceTheTtlStaysOnline() {
    long runner = db.runner(null, env, 1);
    db.exec("UPDATE runners SET last_seen_at = now() WHERE id = ?", runner);

    liveness.markStaleOffline(clock.realTimePlus(Duration.ofSeconds(110)));

    assertThat(status(runner)).isEqualTo("online");
  }

  @Test
  void runnerSilentForTwiceTheTtlGoesOfflineWithAnEvent() {
    long runner = db.runner(null, env, 1);
    db.exec("UPDATE runners SET last_seen_at = now() WHERE id = ?", runner);

    int marked = liveness.markStaleOffline(clock.realTimePlus(Duration.ofSeconds(121)));

    assertThat(marked).isEqualTo(1);
    assertThat(status(runner)).isEqualTo("offline");
    assertThat(
            db.string(
                "SELECT payload->'data'->>'status' FROM outbox WHERE topic ="
                    + " 'minitower.runner-events' AND message_key = ? AND event_type ="
                    + " 'dev.minitower.runner.offline'",
                Long.toString(runner)))
        .isEqualTo("offline");
    // a second sweep finds nothing more to do and writes no second event
    assertThat(liveness.markStaleOffline(clock.instant())).isZero();
    assertThat(events(runner, "offline")).isEqualTo(1);
  }

  @Test
  void neverSeenRunnerAgesFromItsCreation() {
    long runner = db.runner(null, env, 1); // last_seen_at NULL: COALESCE falls back to updated_at

    liveness.markStaleOffline(clock.realTimePlus(Duration.ofSeconds(121)));

    assertThat(status(runner)).isEqualTo("offline");
  }

  @Test
  void offlineRunnerWithoutAttemptsIsPrunedAfterTheDelayAndOneWithHistoryIsKept() {
    long idle = db.runner(null, env, 1);
    long worked = db.runner(null, env, 1);
    DbFixtures.App app = db.app(env);
    steps.create(app, 0, false);
    RunSteps.Lease lease = steps.lease(worked, env, 1).orElseThrow();
    steps.start(lease);
    steps.complete(lease, "completed", 0);
    Instant offlineAt = clock.realTimePlus(Duration.ofSeconds(121));
    assertThat(liveness.markStaleOffline(offlineAt)).isEqualTo(2);

    assertThat(liveness.pruneOffline(offlineAt.plus(Duration.ofHours(23)))).isZero();
    assertThat(liveness.pruneOffline(offlineAt.plus(Duration.ofHours(24)).plusSeconds(1)))
        .isEqualTo(1);

    assertThat(db.count("SELECT count(*) FROM runners WHERE id = ?", idle)).isZero();
    assertThat(status(worked)).isEqualTo("offline");
    assertThat(events(idle, "pruned")).isEqualTo(1);
  }

  @Test
  void expiryTickRunsTheSweepsAfterTheReaper() {
    long runner = db.runner(null, env, 1);
    clock.realTimePlus(Duration.ofSeconds(121));

    loops.expiryTick();

    assertThat(status(runner)).isEqualTo("offline");
  }

  @Test
  void failingReaperDoesNotSkipTheRunnerSweeps() {
    long runner = db.runner(null, env, 1);
    SchedulerLoops isolated =
        new SchedulerLoops(
            new FailingReaper(), liveness, firer, retention, config, clock, database, leaseClock);
    clock.realTimePlus(Duration.ofSeconds(121));

    isolated.expiryTick(); // logs "expiry reaper error" and goes on

    assertThat(status(runner)).isEqualTo("offline");
  }

  /**
   * Runners cannot report while the database is down: right after the scheduler found it
   * unreachable, a stale runner is not marked offline (an outage longer than two lease TTLs used to
   * turn every live runner offline at once; PostgresFaultIT's load then stalled on 401s).
   */
  @Test
  void aDatabaseOutageDefersTheOfflineSweepByOneStalePeriod() {
    long runner = db.runner(null, env, 1);
    SchedulerLoops isolated =
        new SchedulerLoops(
            FailingReaper.databaseDown(),
            liveness,
            firer,
            retention,
            config,
            clock,
            database,
            leaseClock);
    clock.realTimePlus(Duration.ofSeconds(121));

    isolated.expiryTick(); // the reaper step finds the database unreachable

    assertThat(status(runner)).isEqualTo("online");
    // A scheduler that saw no outage sweeps it as before.
    loops.expiryTick();
    assertThat(status(runner)).isEqualTo("offline");
  }

  @Test
  void anUnreachableDatabaseInEveryTickIsOneWarningNotAnErrorPerTick() {
    SchedulerLoops isolated =
        new SchedulerLoops(
            FailingReaper.databaseDown(),
            liveness,
            firer,
            retention,
            config,
            clock,
            database,
            leaseClock);
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 3; i++) {
        isolated.expiryTick();
      }
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
      assertThat(log.from(DatabaseAvailability.class.getName(), Level.WARNING))
          .as(log.describe())
          .hasSize(1);
    }
  }

  private String status(long runner) {
    return db.string("SELECT status FROM runners WHERE id = ?", runner);
  }

  private long events(long runner, String type) {
    return db.count(
        "SELECT count(*) FROM outbox WHERE message_key = ? AND event_type = ?",
        Long.toString(runner),
        "dev.minitower.runner." + type);
  }
}
