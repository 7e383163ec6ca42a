package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.scheduler.schedules.ScheduleFirer;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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

/** Cron firing on a settable clock: exactly once, catch-up policies, overlap, DST. */
@QuarkusTest
class ScheduleFirerTest {
  private static final Instant T = Instant.parse("2026-06-01T10:00:00Z");

  @Inject ScheduleFirer firer;
  @Inject RunSteps steps;
  @Inject DbFixtures db;
  @Inject SettableClock clock;

  DbFixtures.App app;

  @BeforeEach
  void setUp() {
    db.clearQueue();
    app = db.app(DbFixtures.uniqueEnvironment());
  }

  @Test
  void dueTickFiresOneRunAndAdvancesToTheNextTick() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "none", 10, T);

    ScheduleFirer.Pass pass = firer.fireDue(clock.set(T.plusSeconds(1)));

    assertThat(pass.fired()).isEqualTo(1);
    assertThat(runsOf(s)).isEqualTo(1);
    assertThat(db.string("SELECT outcome FROM schedule_ticks WHERE schedule_id = ?", s))
        .isEqualTo("fired");
    assertThat(
            db.count(
                "SELECT count(*) FROM schedule_ticks t JOIN runs r ON r.id = t.run_id"
                    + " WHERE t.schedule_id = ? AND r.schedule_id = ? AND r.status = 'queued'",
                s,
                s))
        .isEqualTo(1);
    assertThat(nextFireAt(s)).isEqualTo(T.plus(Duration.ofMinutes(5)));
    assertThat(db.string("SELECT last_fired_at::text FROM schedules WHERE id = ?", s)).isNotNull();
    // the same instant again: nothing is due any more
    assertThat(firer.fireDue(clock.instant()).fired()).isZero();
    assertThat(runsOf(s)).isEqualTo(1);
  }

  @Test
  void nothingFiresBeforeTheTick() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "none", 10, T);

    firer.fireDue(clock.set(T.minusSeconds(1)));

    assertThat(runsOf(s)).isZero();
    assertThat(nextFireAt(s)).isEqualTo(T);
  }

  @Test
  void catchUpNoneSkipsEveryMissedTickAndWaitsForTheNextOne() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "none", 10, T);

    // down for an hour: 13 ticks (10:00 … 11:00) are older than the misfire grace
    ScheduleFirer.Pass pass = firer.fireDue(clock.set(T.plus(Duration.ofMinutes(62))));

    assertThat(pass.fired()).isZero();
    assertThat(ticks(s, "skipped")).isEqualTo(13);
    assertThat(runsOf(s)).isZero();
    assertThat(nextFireAt(s)).isEqualTo(T.plus(Duration.ofMinutes(65)));
    assertThat(db.string("SELECT DISTINCT reason FROM schedule_ticks WHERE schedule_id = ?", s))
        .isEqualTo("missed: catch-up policy none");
  }

  @Test
  void catchUpLastFiresOnlyTheMostRecentMissedTick() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "last", 10, T);

    firer.fireDue(clock.set(T.plus(Duration.ofMinutes(62))));

    assertThat(ticks(s, "fired")).isEqualTo(1);
    assertThat(ticks(s, "skipped")).isEqualTo(12);
    assertThat(
            db.string(
                "SELECT tick_at = ?::timestamptz FROM schedule_ticks WHERE schedule_id = ?"
                    + " AND outcome = 'fired'",
                T.plus(Duration.ofMinutes(60)).toString(),
                s))
        .isEqualTo("t");
    assertThat(runsOf(s)).isEqualTo(1);
  }

  @Test
  void catchUpAllFiresMissedTicksUpToTheCap() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "all", 5, T);

    firer.fireDue(clock.set(T.plus(Duration.ofMinutes(62))));

    assertThat(ticks(s, "fired")).isEqualTo(5);
    assertThat(ticks(s, "skipped")).isEqualTo(8);
    assertThat(runsOf(s)).isEqualTo(5);
    assertThat(
            db.string(
                "SELECT DISTINCT reason FROM schedule_ticks WHERE schedule_id = ? AND outcome = 'skipped'",
                s))
        .isEqualTo("missed: beyond the catch-up cap of 5");
  }

  @Test
  void catchUpAllWithoutReachingTheCapFiresEveryMissedTick() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "all", 100, T);

    firer.fireDue(clock.set(T.plus(Duration.ofMinutes(22))));

    assertThat(ticks(s, "fired")).isEqualTo(5);
    assertThat(ticks(s, "skipped")).isZero();
  }

  @Test
  void overlapSkipSkipsTicksWhileTheScheduledRunIsActive() {
    long s = schedule("*/5 * * * *", "UTC", "skip", "none", 10, T);

    firer.fireDue(clock.set(T.plusSeconds(1)));
    firer.fireDue(clock.set(T.plus(Duration.ofMinutes(5)).plusSeconds(1)));

    assertThat(ticks(s, "fired")).isEqualTo(1);
    assertThat(ticks(s, "skipped")).isEqualTo(1);
    assertThat(
            db.string(
                "SELECT reason FROM schedule_ticks WHERE schedule_id = ? AND outcome = 'skipped'",
                s))
        .isEqualTo("overlap: a run of this schedule is still active");

    long run = db.count("SELECT id FROM runs WHERE schedule_id = ?", s);
    steps.cancel(app.teamId(), run);
    firer.fireDue(clock.set(T.plus(Duration.ofMinutes(10)).plusSeconds(1)));

    assertThat(ticks(s, "fired")).isEqualTo(2);
  }

  @Test
  void overlapAllowFiresEvenWhileARunIsActive() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "none", 10, T);

    firer.fireDue(clock.set(T.plusSeconds(1)));
    firer.fireDue(clock.set(T.plus(Duration.ofMinutes(5)).plusSeconds(1)));

    assertThat(runsOf(s)).isEqualTo(2);
  }

  @Test
  void missingVersionRecordsAFailedTickAndMovesOn() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "none", 10, T);
    db.exec("UPDATE schedules SET version_no = 42 WHERE id = ?", s);

    ScheduleFirer.Pass pass = firer.fireDue(clock.set(T.plusSeconds(1)));

    assertThat(pass.failed()).isEqualTo(1);
    assertThat(db.string("SELECT reason FROM schedule_ticks WHERE schedule_id = ?", s))
        .isEqualTo("version 42 not found");
    assertThat(nextFireAt(s)).isEqualTo(T.plus(Duration.ofMinutes(5)));
  }

  @Test
  void inputThatNoLongerFitsTheSchemaOfTheVersionToRunCreatesNoRunAndTheTickSaysWhy() {
    long s = schedule("*/5 * * * *", "UTC", "allow", "none", 10, T);
    // A newer version requires an integer "count" the schedule's input lacks.
    db.exec(
        "UPDATE app_versions SET params_schema = '{\"type\":\"object\",\"properties\":"
            + "{\"count\":{\"type\":\"integer\"}},\"required\":[\"count\"]}'::jsonb WHERE id = ?",
        app.versionId());

    ScheduleFirer.Pass pass = firer.fireDue(clock.set(T.plusSeconds(1)));

    assertThat(pass.failed()).isEqualTo(1);
    assertThat(runsOf(s)).isZero();
    assertThat(db.string("SELECT reason FROM schedule_ticks WHERE schedule_id = ?", s))
        .startsWith("input does not match the schema of the version to run:");
    assertThat(nextFireAt(s)).isEqualTo(T.plus(Duration.ofMinutes(5)));
  }

  @Test
  void scheduleWithoutNextFireTimeGetsOne() {
    long s = schedule("0 * * * *", "UTC", "allow", "none", 10, null);

    firer.fireDue(clock.set(T.plusSeconds(30)));

    assertThat(nextFireAt(s)).isEqualTo(T.plus(Duration.ofHours(1)));
    assertThat(runsOf(s)).isZero();
  }

  @Test
  void parisDailyScheduleFiresOnceAcrossSpringForwardAndFallBack() {
    long spring =
        schedule(
            "30 2 * * *",
            "Europe/Paris",
            "allow",
            "none",
            10,
            Instant.parse("2026-03-28T01:30:00Z"));
    long fall =
        schedule(
            "30 2 * * *",
            "Europe/Paris",
            "allow",
            "none",
            10,
            Instant.parse("2026-10-24T00:30:00Z"));

    for (long s : new long[] {spring, fall}) {
      for (int day = 0; day < 3; day++) {
        Instant due = nextFireAt(s);
        // the clock walks tick by tick, also through the repeated hour of the fall-back night
        firer.fireDue(clock.set(due.plusSeconds(1)));
        firer.fireDue(clock.set(due.plus(Duration.ofHours(1)).plusSeconds(1)));
      }
      db.exec("UPDATE schedules SET enabled = false WHERE id = ?", s); // the clock jumps ahead
    }

    assertThat(firedTicks(spring))
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"),
            Instant.parse("2026-03-29T01:30:00Z"),
            Instant.parse("2026-03-30T00:30:00Z"));
    assertThat(firedTicks(fall))
        .containsExactly(
            Instant.parse("2026-10-24T00:30:00Z"),
            Instant.parse("2026-10-25T00:30:00Z"),
            Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void twoSchedulerReplicasNeverFireATickTwice() throws Exception {
    int schedules = 25;
    int minutes = 6;
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < schedules; i++) {
      ids.add(schedule("* * * * *", "UTC", "allow", "all", 100, T));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int m = 0; m < minutes; m++) {
        Instant now = clock.set(T.plus(Duration.ofMinutes(m)).plusSeconds(1));
        Callable<ScheduleFirer.Pass> replica = () -> firer.fireDue(now);
        Future<ScheduleFirer.Pass> a = pool.submit(replica);
        Future<ScheduleFirer.Pass> b = pool.submit(replica);
        assertThat(a.get().fired() + b.get().fired()).isEqualTo(schedules);
      }
    } finally {
      pool.shutdownNow();
    }
    for (long s : ids) {
      assertThat(runsOf(s)).isEqualTo(minutes);
      assertThat(ticks(s, "fired")).isEqualTo(minutes);
    }
  }

  private long schedule(
      String cron, String zone, String overlap, String catchup, int catchupMax, Instant next) {
    return db.id(
        "INSERT INTO schedules (team_id, app_id, name, cron, timezone, environment_name,"
            + " overlap_policy, catchup_policy, catchup_max, next_fire_at, input)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, '')::timestamptz, '{\"from\":\"cron\"}'::jsonb)"
            + " RETURNING id",
        app.teamId(),
        app.appId(),
        DbFixtures.uniqueSlug("s"),
        cron,
        zone,
        app.env(),
        overlap,
        catchup,
        catchupMax,
        next == null ? "" : next.toString());
  }

  private long runsOf(long schedule) {
    return db.count("SELECT count(*) FROM runs WHERE schedule_id = ?", schedule);
  }

  private long ticks(long schedule, String outcome) {
    return db.count(
        "SELECT count(*) FROM schedule_ticks WHERE schedule_id = ? AND outcome = ?",
        schedule,
        outcome);
  }

  private Instant nextFireAt(long schedule) {
    String epoch =
        db.string(
            "SELECT extract(epoch FROM next_fire_at)::bigint::text FROM schedules WHERE id = ?",
            schedule);
    return epoch == null ? null : Instant.ofEpochSecond(Long.parseLong(epoch));
  }

  private List<Instant> firedTicks(long schedule) {
    List<Instant> out = new ArrayList<>();
    long n = ticks(schedule, "fired");
    for (int i = 0; i < n; i++) {
      out.add(
          Instant.ofEpochSecond(
              db.count(
                  "SELECT extract(epoch FROM tick_at)::bigint FROM schedule_ticks"
                      + " WHERE schedule_id = ? AND outcome = 'fired' ORDER BY tick_at OFFSET ? LIMIT 1",
                  schedule,
                  i)));
    }
    return out;
  }
}
