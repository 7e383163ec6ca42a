package dev.minitower.scheduler.gauges;

import dev.minitower.scheduler.config.SchedulerConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The queue and fleet gauges of the operations guide (§1.4), computed at scrape time in this one
 * place: {@code minitower_runs_pending{team,app,environment}}, {@code
 * minitower_runners_online{environment}}, plus {@code minitower_outbox_backlog}. Only non-zero
 * groups appear. The query result is cached briefly so several scrapers cost one query; a failed
 * query leaves the series out (and is logged) rather than failing the scrape.
 */
@ApplicationScoped
public class SchedulerGauges extends Collector {
  private static final Logger LOG = Logger.getLogger(SchedulerGauges.class);

  private record Cached(GaugeQueries.Snapshot snapshot, long readAtNanos) {}

  private final GaugeQueries queries;
  private final SchedulerConfig config;
  private final AtomicReference<Cached> cache = new AtomicReference<>();

  SchedulerGauges(GaugeQueries queries, SchedulerConfig config) {
    this.queries = queries;
    this.config = config;
  }

  void register(@Observes StartupEvent start, PrometheusMeterRegistry registry) {
    // the registry's own CollectorRegistry (the produced CollectorRegistry bean is not a singleton)
    registry.getPrometheusRegistry().register(this);
  }

  /** The current values (cached for the configured TTL); null when the query failed. */
  public GaugeQueries.Snapshot snapshot() {
    Cached c = cache.get();
    long now = System.nanoTime();
    if (c != null && now - c.readAtNanos() < config.gauges().cacheTtl().toNanos()) {
      return c.snapshot();
    }
    try {
      int timeout = (int) Math.max(1, config.gauges().queryTimeout().toSeconds());
      GaugeQueries.Snapshot s = queries.read(timeout);
      cache.set(new Cached(s, now));
      return s;
    } catch (RuntimeException e) {
      LOG.warnf("gauge query error error=%s", e.getMessage());
      return null;
    }
  }

  @Override
  public List<MetricFamilySamples> collect() {
    GaugeMetricFamily pending =
        new GaugeMetricFamily(
            "minitower_runs_pending",
            "Queued runs by team, app and environment",
            List.of("team", "app", "environment"));
    GaugeMetricFamily online =
        new GaugeMetricFamily(
            "minitower_runners_online", "Online runners by environment", List.of("environment"));
    GaugeMetricFamily backlog =
        new GaugeMetricFamily(
            "minitower_outbox_backlog", "Outbox rows not yet published", List.of());
    GaugeQueries.Snapshot s = snapshot();
    if (s != null) {
      s.pending().stream()
          .filter(g -> g.value() > 0)
          .forEach(g -> pending.addMetric(g.labels(), g.value()));
      s.online().stream()
          .filter(g -> g.value() > 0)
          .forEach(g -> online.addMetric(g.labels(), g.value()));
      backlog.addMetric(List.of(), s.outboxBacklog());
    }
    return List.of(pending, online, backlog);
  }
}
