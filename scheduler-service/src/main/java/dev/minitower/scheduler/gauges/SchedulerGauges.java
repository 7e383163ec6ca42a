package dev.minitower.scheduler.gauges;

import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.store.stats.QueueGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The queue and fleet gauges of the operations guide (docs/spec/observability-and-ops.md §1.4),
 * from this one place: {@code minitower_runs_pending{team,app,environment}}, {@code
 * minitower_runners_online{environment}}, plus {@code minitower_outbox_backlog}. Only non-zero
 * groups appear. One query per refresh interval (the configured cache TTL, 2 s by default) feeds
 * Micrometer multi-gauges, so any number of scrapers cost one query; a failed query keeps the last
 * values (and is logged) rather than failing the scrape.
 */
@ApplicationScoped
public class SchedulerGauges {
  private static final Logger LOG = Logger.getLogger(SchedulerGauges.class);

  private record Cached(QueueGauges.Snapshot snapshot, long readAtNanos) {}

  private final QueueGauges queries;
  private final SchedulerConfig config;
  private final AtomicReference<Cached> cache = new AtomicReference<>();
  private final AtomicLong backlog = new AtomicLong();
  private final GroupGauges pending;
  private final GroupGauges online;
  private ScheduledExecutorService refresher;

  SchedulerGauges(QueueGauges queries, SchedulerConfig config, MeterRegistry registry) {
    this.queries = queries;
    this.config = config;
    this.pending =
        new GroupGauges(
            "minitower.runs.pending", "Queued runs by team, app and environment", registry);
    this.online =
        new GroupGauges("minitower.runners.online", "Online runners by environment", registry);
    // Read at scrape time (through the short cache): the backlog is what alerts watch.
    Gauge.builder("minitower.outbox.backlog", this, SchedulerGauges::currentBacklog)
        .description("Outbox rows not yet published")
        .register(registry);
  }

  void start(@Observes StartupEvent event) {
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "scheduler-gauges");
              t.setDaemon(true);
              return t;
            });
    long every = config.gauges().cacheTtl().toMillis();
    // A task of a scheduled executor that throws is never run again: keep the refresher alive.
    refresher.scheduleWithFixedDelay(
        () -> {
          try {
            refresh();
          } catch (RuntimeException e) {
            LOG.warnf("gauge refresh error error=%s", e.toString());
          }
        },
        0,
        every,
        TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  /** Re-reads the groups and republishes them; groups that went to zero disappear. */
  void refresh() {
    QueueGauges.Snapshot s = snapshot();
    if (s == null) {
      return;
    }
    pending.update(byTags(s.pending(), "team", "app", "environment"));
    online.update(byTags(s.online(), "environment"));
    backlog.set(s.outboxBacklog());
  }

  /** The groups of one query as tag sets; a missing label value is shown empty. */
  private static Map<Tags, Long> byTags(List<QueueGauges.Group> groups, String... keys) {
    Map<Tags, Long> out = new HashMap<>();
    for (QueueGauges.Group g : groups) {
      Tags tags = Tags.empty();
      for (int i = 0; i < keys.length; i++) {
        String v = g.labels().get(i);
        tags = tags.and(keys[i], v == null ? "" : v);
      }
      out.merge(tags, g.value(), Long::sum);
    }
    return out;
  }

  private double currentBacklog() {
    QueueGauges.Snapshot s = snapshot();
    return s == null ? backlog.get() : s.outboxBacklog();
  }

  /** The current values (cached for the configured TTL); null when the query failed. */
  public QueueGauges.Snapshot snapshot() {
    Cached c = cache.get();
    long now = System.nanoTime();
    if (c != null && now - c.readAtNanos() < config.gauges().cacheTtl().toNanos()) {
      return c.snapshot();
    }
    try {
      int timeout = (int) config.gauges().queryTimeout().toSeconds();
      QueueGauges.Snapshot s = queries.read(timeout);
      cache.set(new Cached(s, now));
      return s;
    } catch (RuntimeException e) {
      LOG.warnf("gauge query error error=%s", e.getMessage());
      return null;
    }
  }
}
