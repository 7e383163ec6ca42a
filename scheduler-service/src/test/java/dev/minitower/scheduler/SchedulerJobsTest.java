package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The loops are quarkus-scheduler jobs defined from the typed config: in the test profile the
 * expiry and schedule intervals are 0s (disabled: tests drive those steps themselves) and retention
 * is on with its 5-minute default, first run one interval after start.
 */
@QuarkusTest
class SchedulerJobsTest {

  @Inject Scheduler scheduler;

  @Test
  void aLoopWithAnIntervalOfZeroIsNoJobAndRetentionIsOne() {
    assertThat(scheduler.isStarted()).isTrue();
    assertThat(scheduler.getScheduledJob("expiry")).isNull();
    assertThat(scheduler.getScheduledJob("schedules")).isNull();
    Trigger retention = scheduler.getScheduledJob("retention");
    assertThat(retention).isNotNull();
    assertThat(retention.getNextFireTime()).isNotNull();
  }
}
