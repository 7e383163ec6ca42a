package dev.minitower.scheduler;

import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.scheduler.liveness.RunnerLiveness;
import dev.minitower.scheduler.reaper.ExpiryReaper;
import dev.minitower.scheduler.retention.RetentionSweeper;
import dev.minitower.scheduler.schedules.ScheduleFirer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Drives the time-based steps on their intervals: the expiry tick (reaper, then runner offline
 * sweep, then pruning; one step failing never skips the others, unlike the original), cron firing
 * and retention. {@code now} is read once per tick from the injected clock. An interval ≤ 0
 * disables its loop (MINITOWER_EXPIRY_CHECK_INTERVAL ≤ 0 disables reaping and runner sweeps).
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
  private ScheduledExecutorService executor;

  SchedulerLoops(
      ExpiryReaper reaper,
      RunnerLiveness liveness,
      ScheduleFirer schedules,
      RetentionSweeper retention,
      SchedulerConfig config,
      Clock clock) {
    this.reaper = reaper;
    this.liveness = liveness;
    this.schedules = schedules;
    this.retention = retention;
    this.config = config;
    this.clock = clock;
  }

  void start(@Observes StartupEvent event) {
    executor =
        Executors.newScheduledThreadPool(
            3,
            r -> {
              Thread t = new Thread(r, "scheduler-loop");
              t.setDaemon(true);
              return t;
            });
    every(config.expiryCheckInterval(), this::expiryTick, "expiry");
    every(config.schedules().checkInterval(), this::scheduleTick, "schedules");
    boolean retentionOn =
        isPositive(config.retention().logs()) || isPositive(config.retention().runs());
    if (retentionOn) {
      every(config.retention().interval(), this::retentionTick, "retention");
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private void every(Duration interval, Runnable task, String name) {
    if (!isPositive(interval)) {
      LOG.infof("%s loop disabled (interval %s)", name, interval);
      return;
    }
    long ms = interval.toMillis();
    executor.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One expiry tick: each step runs even when an earlier one failed. */
  public void expiryTick() {
    Instant now = clock.instant();
    try {
      reaper.reapExpired(now);
    } catch (RuntimeException e) {
      LOG.errorf(e, "expiry reaper error error=%s", e.getMessage());
    }
    try {
      liveness.markStaleOffline(now);
    } catch (RuntimeException e) {
      LOG.errorf(e, "runner offline sweep error error=%s", e.getMessage());
    }
    try {
      liveness.pruneOffline(now);
    } catch (RuntimeException e) {
      LOG.errorf(e, "runner prune sweep error error=%s", e.getMessage());
    }
  }

  public void scheduleTick() {
    try {
      schedules.fireDue(clock.instant());
    } catch (RuntimeException e) {
      LOG.errorf(e, "schedule firing error error=%s", e.getMessage());
    }
  }

  public void retentionTick() {
    try {
      retention.sweep(clock.instant());
    } catch (RuntimeException e) {
      LOG.errorf(e, "retention error error=%s", e.getMessage());
    }
  }

  private static boolean isPositive(Duration d) {
    return !d.isZero() && !d.isNegative();
  }
}
