package dev.minitower.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * scheduler-service settings. Keys with an original environment name ({@code MINITOWER_…}) are
 * mapped in {@code application.properties}; where a key says so, a duration of zero or less
 * disables its step. Ranges are Bean Validation constraints, checked when the mapping is built: a
 * bad value fails start-up with a message naming the key.
 */
@ConfigMapping(prefix = "minitower")
public interface SchedulerConfig {

  /** Lease length (MINITOWER_LEASE_TTL); runners unseen for twice this go offline. */
  @WithName("lease-ttl")
  @WithDefault("60s")
  @DurationMin(nanos = 0, inclusive = false)
  Duration leaseTtl();

  /** Reaper period (MINITOWER_EXPIRY_CHECK_INTERVAL); ≤ 0 disables reaping and runner sweeps. */
  @WithName("expiry-check-interval")
  @WithDefault("10s")
  Duration expiryCheckInterval();

  /**
   * Offline runners without attempts are deleted after this (MINITOWER_RUNNER_PRUNE_AFTER); ≤ 0
   * keeps them.
   */
  @WithName("runner-prune-after")
  @WithDefault("24h")
  Duration runnerPruneAfter();

  /** Expired attempts handled per read (each in its own transaction). */
  @WithName("reaper-batch-size")
  @WithDefault("100")
  @Positive
  int reaperBatchSize();

  /** Cron schedules. */
  Schedules schedules();

  /** Outbox relay to Kafka. */
  Outbox outbox();

  /** Retention of finished runs and their logs. */
  Retention retention();

  /** Scrape-time gauges. */
  Gauges gauges();

  /** Cron schedule firing. */
  interface Schedules {
    /** How often due ticks are looked for (MINITOWER_SCHEDULE_CHECK_INTERVAL); ≤ 0 disables. */
    @WithDefault("5s")
    Duration checkInterval();

    /**
     * A due tick older than this counts as missed (scheduler down) and follows the schedule's
     * catch-up policy; a younger one fires normally.
     */
    @WithDefault("60s")
    @DurationMin(nanos = 0)
    Duration misfireGrace();

    /** Due schedules handled per transaction loop. */
    @WithDefault("50")
    @Positive
    int batchSize();
  }

  /** Outbox relay. */
  interface Outbox {
    /** Whether this replica takes part in the relay election (MINITOWER_OUTBOX_RELAY_ENABLED). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows published per batch. */
    @WithDefault("500")
    @Positive
    int batchSize();

    /** Wait between polls when the outbox is empty. */
    @WithDefault("200ms")
    @DurationMin(nanos = 0, inclusive = false)
    Duration pollInterval();

    /** How often a standby replica tries to become the relay. */
    @WithDefault("2s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration standbyInterval();

    /** Longest wait between retries while the broker fails. */
    @WithDefault("30s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration maxBackoff();

    /** Published rows are deleted after this (MINITOWER_OUTBOX_RETENTION). */
    @WithDefault("24h")
    @DurationMin(nanos = 0)
    Duration retention();

    /** PostgreSQL advisory lock key the relay replicas compete for. */
    @WithDefault("7206539820142117")
    long lockKey();
  }

  /** Retention of finished runs. */
  interface Retention {
    /** Logs of runs finished longer ago are deleted (MINITOWER_LOG_RETENTION); ≤ 0 keeps them. */
    @WithDefault("0s")
    Duration logs();

    /** Runs finished longer ago are deleted with attempts and logs (MINITOWER_RUN_RETENTION). */
    @WithDefault("0s")
    Duration runs();

    /** How often retention runs. */
    @WithDefault("5m")
    @DurationMin(nanos = 0, inclusive = false)
    Duration interval();

    /** Rows deleted per statement (small batches keep locks and WAL bursts short). */
    @WithDefault("500")
    @Positive
    int batchSize();
  }

  /** Scrape-time gauges. */
  interface Gauges {
    /** The gauge queries are cached this long (at least 500 ms). */
    @WithDefault("2s")
    @DurationMin(millis = 500)
    Duration cacheTtl();

    /** Statement timeout of each gauge query (whole seconds, at least 1). */
    @WithDefault("5s")
    @DurationMin(seconds = 1)
    Duration queryTimeout();
  }
}
