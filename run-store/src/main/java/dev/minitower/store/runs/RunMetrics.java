package dev.minitower.store.runs;

import dev.minitower.store.runs.RunRecords.Reaped;
import dev.minitower.store.runs.RunRecords.RunEnded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run metrics of the operations guide, recorded by whichever service caused the change (after
 * its transaction committed). Queue wait is measured per attempt, so it is never negative.
 */
@ApplicationScoped
public class RunMetrics {
  private static final Duration[] RUN_BUCKETS = new Duration[15];

  static {
    for (int k = 0; k < RUN_BUCKETS.length; k++) {
      RUN_BUCKETS[k] = Duration.ofMillis(100L << k);
    }
  }

  private final MeterRegistry registry;

  /**
   * The meters already registered, by name and labels: a run's metrics are recorded on every
   * create, lease and result, and building a meter's id (sorted tags, bucket list) to find it in
   * the registry cost more than the recording. Meters of this class are never removed.
   */
  private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();

  private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

  /** A meter's name and its tags' keys and values, in order. */
  private record MeterKey(String name, List<String> tags) {}

  RunMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void created(String team, String app) {
    counter("minitower.runs.created", "Runs created", "team", team, "app", app).increment();
  }

  public void leased(String environment) {
    counter("minitower.runs.leased", "Runs leased by runners", "environment", environment)
        .increment();
  }

  public void retried(String team, String app) {
    counter(
            "minitower.runs.retried",
            "Runs put back in the queue for another attempt",
            "team",
            team,
            "app",
            app)
        .increment();
  }

  public void completed(String team, String app, String status) {
    counter(
            "minitower.runs.completed",
            "Runs that reached a terminal status",
            "team",
            team,
            "app",
            app,
            "status",
            status)
        .increment();
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(
        new MeterKey(name, List.of(tags)),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  /** A run ended (or was requeued after a failure) through a result or a cancel. */
  public void ended(RunEnded run) {
    if (run.requeued()) {
      retried(run.teamSlug(), run.appSlug());
    } else {
      completed(run.teamSlug(), run.appSlug(), run.status());
    }
    if (run.finishedAt() == null || run.queuedAt() == null) {
      return;
    }
    String status = run.status();
    if (run.startedAt() != null) {
      timer("minitower.run.queue.wait", run.teamSlug(), run.appSlug(), null)
          .record(between(run.queuedAt(), run.startedAt()));
      timer("minitower.run.execution", run.teamSlug(), run.appSlug(), status)
          .record(between(run.startedAt(), run.finishedAt()));
    }
    if (run.startedAt() != null || "cancelled".equals(status)) {
      timer("minitower.run.total", run.teamSlug(), run.appSlug(), status)
          .record(between(run.queuedAt(), run.finishedAt()));
    }
  }

  /** The reaper handled an expired attempt. */
  public void reaped(Reaped reaped) {
    switch (reaped.outcome()) {
      case RETRIED -> retried(reaped.teamSlug(), reaped.appSlug());
      case DEAD -> completed(reaped.teamSlug(), reaped.appSlug(), "dead");
      case CANCELLED -> completed(reaped.teamSlug(), reaped.appSlug(), "cancelled");
      case SKIPPED -> {}
    }
  }

  private Timer timer(String name, String team, String app, String status) {
    return timers.computeIfAbsent(
        new MeterKey(name, status == null ? List.of(team, app) : List.of(team, app, status)),
        k -> {
          Timer.Builder b =
              Timer.builder(name)
                  .tags("team", team, "app", app)
                  .serviceLevelObjectives(RUN_BUCKETS);
          if (status != null) {
            b = b.tag("status", status);
          }
          return b.register(registry);
        });
  }

  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
