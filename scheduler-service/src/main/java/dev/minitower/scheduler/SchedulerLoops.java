package dev.minitower.scheduler;

import dev.minitower.platform.pg.DatabaseAvailability;
import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.scheduler.liveness.RunnerLiveness;
import dev.minitower.scheduler.reaper.ExpiryReaper;
import dev.minitower.scheduler.retention.RetentionSweeper;
import dev.minitower.scheduler.schedules.ScheduleFirer;
import dev.minitower.store.runs.LeaseClock;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Drives the time-based steps on their intervals: the expiry tick (reaper, then runner offline
 * sweep, then pruning; one step failing never skips the others, unlike the original), cron firing
 * and retention. {@code now} is read once per tick from the injected clock. An interval ≤ 0
 * disables its loop (MINITOWER_EXPIRY_CHECK_INTERVAL ≤ 0 disables reaping and runner sweeps). While
 * the database cannot be reached the steps keep failing: that outage is one WARN ({@link
 * DatabaseAvailability}), not an ERROR with a stack trace per step and tick.
 *
 * <p>The loops are quarkus-scheduler jobs ({@code expiry}, {@code schedules}, {@code retention}),
 * each with {@link Scheduled.ConcurrentExecution#SKIP}: a tick still running when the next is due
 * makes that one skipped, never run beside it. They are defined at start from the typed {@link
 * SchedulerConfig} rather than with {@code @Scheduled}: an interval ≤ 0 must disable a loop (the
 * original's contract), which an {@code every} expression cannot say.
 */
@ApplicationScoped
public class SchedulerLoops {
  private static final Logger LOG = Logger.getLogger(SchedulerLoops.class);

  private final ExpiryReaper reaper;
  private final RunnerLiveness liveness;
  private final ScheduleFirer schedules;
  private final RetentionSweeper retention;
  private final SchedulerConfig config;
  private final Clock clock;
  private final DatabaseAvailability database;
  private final LeaseClock leaseClock;

  /** When a step last found the database unreachable ({@link System#nanoTime()}; 0 = never). */
  private volatile long lastDatabaseOutage;

  SchedulerLoops(
      ExpiryReaper reaper,
      RunnerLiveness liveness,
      ScheduleFirer schedules,
      RetentionSweeper retention,
      SchedulerConfig config,
      Clock clock,
      DatabaseAvailability database,
      LeaseClock leaseClock) {
    this.leaseClock = leaseClock;
    this.reaper = reaper;
    this.liveness = liveness;
    this.schedules = schedules;
    this.retention = retention;
    this.config = config;
    this.clock = clock;
    this.database = database;
  }

  void start(@Observes StartupEvent event, Scheduler scheduler) {
    // The first reaper pass runs at start: leases that expired while no scheduler ran (a restart)
    // are requeued at once, not one interval later.
    every(scheduler, "expiry", config.expiryCheckInterval(), true, this::expiryTick);
    every(scheduler, "schedules", config.schedules().checkInterval(), false, this::scheduleTick);
    boolean retentionOn =
        isPositive(config.retention().logs()) || isPositive(config.retention().runs());
    if (retentionOn) {
      every(scheduler, "retention", config.retention().interval(), false, this::retentionTick);
    }
  }

  private static void every(
      Scheduler scheduler, String name, Duration interval, boolean atStart, Runnable tick) {
    if (!isPositive(interval)) {
      LOG.infof("%s loop disabled (interval %s)", name, interval);
      return;
    }
    Scheduler.JobDefinition<?> job =
        scheduler
            .newJob(name)
            .setInterval(interval.toString())
            .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
            .setSkipPredicate(Scheduled.ApplicationNotRunning.class)
            .setTask((ScheduledExecution execution) -> tick.run());
    if (!atStart) {
      job.setDelayed(interval.toString());
    }
    job.schedule();
  }

  /**
   * One expiry tick: each step runs even when an earlier one failed. Leases and liveness are judged
   * by the database's clock (the one that set them), never this host's: {@code now} is null in
   * production ({@link LeaseClock}).
   */
  public void expiryTick() {
    Instant now = leaseClock.asOf();
    try {
      reaper.reapExpired(now);
    } catch (RuntimeException e) {
      failed("expiry reaper", e);
    }
    // Runners cannot report while the database is down: after an outage, give them one stale
    // period (2 × lease TTL) to be seen again before anyone is marked offline, or an outage longer
    // than that would turn every live runner offline (and their tokens useless) at once.
    long outage = lastDatabaseOutage;
    long grace = config.leaseTtl().multipliedBy(2).toNanos();
    if (outage != 0 && System.nanoTime() - outage < grace) {
      LOG.debugf("runner offline sweep deferred: the database was unreachable moments ago");
    } else {
      try {
        liveness.markStaleOffline(now);
      } catch (RuntimeException e) {
        failed("runner offline sweep", e);
      }
    }
    try {
      liveness.pruneOffline(now);
    } catch (RuntimeException e) {
      failed("runner prune sweep", e);
    }
  }

  public void scheduleTick() {
    try {
      schedules.fireDue(clock.instant());
    } catch (RuntimeException e) {
      failed("schedule firing", e);
    }
  }

  public void retentionTick() {
    try {
      retention.sweep(clock.instant());
    } catch (RuntimeException e) {
      failed("retention", e);
    }
  }

  private void failed(String step, RuntimeException e) {
    if (DatabaseAvailability.isUnavailable(e)) {
      lastDatabaseOutage = System.nanoTime();
      database.report(e);
    } else {
      LOG.errorf(e, "%s error error=%s", step, e.getMessage());
    }
  }

  private static boolean isPositive(Duration d) {
    return !d.isZero() && !d.isNegative();
  }
}
