package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.scheduler.retention.RetentionSweeper;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention (test profile: logs 7 days, runs 30 days after they finished). */
@QuarkusTest
class RetentionTest {
  @Inject RetentionSweeper retention;
  @Inject RunSteps steps;
  @Inject DbFixtures db;
  @Inject SettableClock clock;

  DbFixtures.App app;
  long runner;

  @BeforeEach
  void setUp() {
    db.clearQueue();
    app = db.app(DbFixtures.uniqueEnvironment());
    runner = db.runner(null, app.env(), 16);
  }

  @Test
  void logsOfFinishedRunsGoAfterTheirRetentionThenTheRunsThemselves() {
    long finished = steps.create(app, 0, false);
    RunSteps.Lease done = steps.lease(runner, app.env(), 16).orElseThrow();
    steps.start(done);
    steps.logs(done, 1200);
    steps.complete(done, "completed", 0);
    long active = steps.create(app, 0, false);
    RunSteps.Lease running = steps.lease(runner, app.env(), 16).orElseThrow();
    steps.start(running);
    steps.logs(running, 10);

    assertThat(retention.sweep(clock.realTimePlus(Duration.ofDays(6))).logLines()).isZero();
    RetentionSweeper.Pass week = retention.sweep(clock.realTimePlus(Duration.ofDays(8)));

    assertThat(week.logLines()).isEqualTo(1200); // in batches of 500
    assertThat(logs(finished)).isZero();
    assertThat(logs(active)).as("a running run keeps its logs").isEqualTo(10);
    assertThat(db.runStatus(finished)).isEqualTo("completed");

    RetentionSweeper.Pass month = retention.sweep(clock.realTimePlus(Duration.ofDays(31)));

    assertThat(month.runs()).isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM runs WHERE id = ?", finished)).isZero();
    assertThat(db.count("SELECT count(*) FROM run_attempts WHERE run_id = ?", finished)).isZero();
    assertThat(db.runStatus(active)).isEqualTo("running");
  }

  private long logs(long run) {
    return db.count("SELECT count(*) FROM run_logs WHERE run_id = ?", run);
  }
}
