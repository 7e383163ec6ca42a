package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prometheus configuration, alert rules and the Grafana dashboard: the shapes of the operations
 * guide (docs/spec/observability-and-ops.md §4.3-§4.5) and only metrics the services export.
 */
class ObservabilityTest {
  static final Set<String> SERVICES = Set.of("api-service", "runner-service", "scheduler-service");
  static final Set<String> SCRAPE_LABELS = Set.of("job", "instance", "__name__");

  /**
   * Every metric the services export, with its labels (docs/deploy.md,
   * docs/spec/observability-and-ops.md §1).
   */
  static final Map<String, Set<String>> METRICS =
      Map.ofEntries(
          Map.entry("minitower_http_requests_total", Set.of("method", "path", "status")),
          Map.entry("minitower_http_request_duration_seconds", Set.of("method", "path")),
          Map.entry("minitower_http_request_size_bytes", Set.of("method", "path")),
          Map.entry("minitower_http_response_size_bytes", Set.of("method", "path")),
          Map.entry("minitower_runs_created_total", Set.of("team", "app")),
          Map.entry("minitower_runs_completed_total", Set.of("team", "app", "status")),
          Map.entry("minitower_runs_retried_total", Set.of("team", "app")),
          Map.entry("minitower_runs_leased_total", Set.of("environment")),
          Map.entry("minitower_runners_registered_total", Set.of("environment")),
          Map.entry("minitower_run_queue_wait_seconds", Set.of("team", "app")),
          Map.entry("minitower_run_execution_seconds", Set.of("team", "app", "status")),
          Map.entry("minitower_run_total_seconds", Set.of("team", "app", "status")),
          Map.entry("minitower_runs_pending", Set.of("team", "app", "environment")),
          Map.entry("minitower_runners_online", Set.of("environment")),
          Map.entry("minitower_outbox_backlog", Set.of()),
          Map.entry("minitower_outbox_publish_lag_seconds", Set.of()),
          Map.entry("minitower_outbox_published_total", Set.of()));

  static final Set<String> HISTOGRAMS =
      Set.of(
          "minitower_http_request_duration_seconds",
          "minitower_http_request_size_bytes",
          "minitower_http_response_size_bytes",
          "minitower_run_queue_wait_seconds",
          "minitower_run_execution_seconds",
          "minitower_run_total_seconds",
          "minitower_outbox_publish_lag_seconds");

  record Expr(String where, String promql) {
    @Override
    public String toString() {
      return where;
    }
  }

  static JsonNode dashboard() {
    return Repo.json(Repo.path("deploy/grafana/dashboards/minitower.json"));
  }

  static JsonNode alerts() {
    return Repo.yaml(Repo.path("deploy/prometheus/alerts.yml"));
  }

  static Stream<Expr> expressions() {
    List<Expr> all = new ArrayList<>();
    for (JsonNode group : alerts().get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        all.add(new Expr("alert " + rule.get("alert").asText(), rule.get("expr").asText()));
      }
    }
    for (JsonNode panel : dashboard().get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        all.add(
            new Expr(
                "panel " + panel.get("title").asText() + " " + target.get("refId").asText(),
                target.get("expr").asText()));
      }
    }
    return all.stream();
  }

  /** The base metric of a series name (histogram series carry _bucket, _sum, _count). */
  static String base(String series) {
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (series.endsWith(suffix)) {
        String stem = series.substring(0, series.length() - suffix.length());
        if (HISTOGRAMS.contains(stem)) {
          return stem;
        }
      }
    }
    return series;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void expressionsUseOnlyExportedMetricsAndTheirLabels(Expr e) {
    List<PromQl.Selector> selectors = PromQl.selectors(e.promql());
    assertThat(selectors).as(e.promql()).isNotEmpty();
    for (PromQl.Selector s : selectors) {
      String metric = base(s.metric());
      if (metric.equals("up") || metric.startsWith("process_") || metric.startsWith("jvm_")) {
        continue;
      }
      assertThat(METRICS).as(e.where() + ": " + e.promql()).containsKey(metric);
      if (s.metric().endsWith("_bucket")) {
        assertThat(HISTOGRAMS).contains(metric);
      }
      for (String label : s.labels()) {
        assertThat(label)
            .as(e.where() + ": label of " + metric)
            .isIn(union(METRICS.get(metric), SCRAPE_LABELS, Set.of("le")));
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b, Set<String> c) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  @Test
  void promQlReaderFindsSelectorsAndSkipsTheRest() {
    assertThat(
            PromQl.selectors(
                "histogram_quantile(0.99, sum by (path, le) (rate(minitower_http_request_duration_seconds_bucket{job=\"api-service\"}[5m]))) or vector(0)"))
        .containsExactly(
            new PromQl.Selector("minitower_http_request_duration_seconds_bucket", Set.of("job")));
    assertThat(PromQl.selectors("sum(a) unless on (environment) sum by (environment) (b) > 0"))
        .extracting(PromQl.Selector::metric)
        .containsExactly("a", "b");
  }

  @Test
  void prometheusScrapesEachServiceInItsOwnJob() {
    JsonNode config = Repo.yaml(Repo.path("deploy/prometheus/prometheus.yml"));
    assertThat(config.get("global").get("scrape_interval").asText()).isEqualTo("5s");
    assertThat(config.get("rule_files").toString()).contains("alerts.yml");
    Map<String, String> targets = new java.util.HashMap<>();
    for (JsonNode job : config.get("scrape_configs")) {
      assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
      targets.put(
          job.get("job_name").asText(),
          job.get("static_configs").get(0).get("targets").get(0).asText());
    }
    assertThat(targets)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "api-service", "api-service:9080",
                "runner-service", "runner-service:9081",
                "scheduler-service", "scheduler-service:9082"));
  }

  @Test
  void federationPullsOnlyMiniTowerSeries() {
    JsonNode job =
        Repo.yaml(Repo.path("deploy/prometheus/federation.yml")).get("scrape_configs").get(0);
    assertThat(job.get("metrics_path").asText()).isEqualTo("/federate");
    assertThat(job.get("honor_labels").asBoolean()).isTrue();
    List<String> match = new ArrayList<>();
    job.get("params").get("match[]").forEach(m -> match.add(m.asText()));
    assertThat(match).contains("{__name__=~\"minitower_.*\"}");
    assertThat(match).allMatch(m -> m.contains("minitower_") || m.startsWith("up{"));
  }

  @Test
  void alertRulesCoverTheOperationalRisks() {
    List<String> names = new ArrayList<>();
    for (JsonNode group : alerts().get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        names.add(rule.get("alert").asText());
        assertThat(rule.get("for").asText()).as(rule.get("alert").asText()).matches("\\d+m");
        assertThat(rule.get("labels").get("severity").asText()).isIn("warning", "critical");
        assertThat(rule.get("annotations").get("summary").asText()).isNotBlank();
      }
    }
    assertThat(names)
        .contains(
            "MiniTowerQueueGrowingNoRunner",
            "MiniTowerRunFailureRateHigh",
            "MiniTowerOutboxBacklog",
            "MiniTowerOutboxLagHigh",
            "MiniTowerSchedulerDown",
            "MiniTowerReadinessFailing",
            "MiniTowerTargetDown")
        .doesNotHaveDuplicates();
  }

  @Test
  void kubernetesPrometheusRuleHoldsTheSameRules() {
    JsonNode rule = Repo.yaml(Repo.path("k8s/base/monitoring/prometheusrule.yaml"));
    assertThat(rule.get("spec").get("groups")).isEqualTo(alerts().get("groups"));
  }

  @Test
  void kubernetesDashboardConfigMapIsTheSameDashboard() {
    assertThat(Repo.read(Repo.path("k8s/base/monitoring/dashboards/minitower.json")))
        .isEqualTo(Repo.read(Repo.path("deploy/grafana/dashboards/minitower.json")));
    var cm = Rendered.of("k8s/base").configMap("minitower-grafana-dashboard").orElseThrow();
    assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(cm.getData()).containsOnlyKeys("minitower.json");
  }

  @Test
  void grafanaProvisionsThePrometheusDatasourceAndTheDashboardFolder() {
    JsonNode ds =
        Repo.yaml(Repo.path("deploy/grafana/provisioning/datasources/prometheus.yml"))
            .get("datasources")
            .get(0);
    assertThat(ds.get("name").asText()).isEqualTo("Prometheus");
    assertThat(ds.get("uid").asText()).isEqualTo("prometheus");
    assertThat(ds.get("type").asText()).isEqualTo("prometheus");
    assertThat(ds.get("access").asText()).isEqualTo("proxy");
    assertThat(ds.get("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(ds.get("isDefault").asBoolean()).isTrue();
    assertThat(ds.get("editable").asBoolean()).isFalse();
    JsonNode provider =
        Repo.yaml(Repo.path("deploy/grafana/provisioning/dashboards/minitower.yml"))
            .get("providers")
            .get(0);
    assertThat(provider.get("name").asText()).isEqualTo("MiniTower");
    assertThat(provider.get("type").asText()).isEqualTo("file");
    assertThat(provider.get("options").get("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
    assertThat(provider.get("options").get("foldersFromFilesStructure").asBoolean()).isFalse();
  }

  record Panel(
      String row,
      String title,
      String type,
      String unit,
      List<String> exprs,
      List<String> legends) {}

  private static List<Panel> panels() {
    List<Panel> panels = new ArrayList<>();
    String row = null;
    for (JsonNode p : dashboard().get("panels")) {
      if (p.get("type").asText().equals("row")) {
        row = p.get("title").asText();
        continue;
      }
      List<String> exprs = new ArrayList<>();
      List<String> legends = new ArrayList<>();
      for (JsonNode t : p.get("targets")) {
        exprs.add(t.get("expr").asText());
        legends.add(t.path("legendFormat").asText(""));
      }
      panels.add(
          new Panel(
              row,
              p.get("title").asText(),
              p.get("type").asText(),
              p.get("fieldConfig").get("defaults").get("unit").asText(),
              exprs,
              legends));
    }
    return panels;
  }

  private static List<String> quantiles(String metric) {
    return List.of("0.50", "0.95", "0.99").stream()
        .map(q -> "histogram_quantile(" + q + ", sum(rate(" + metric + "_bucket[5m])) by (le))")
        .toList();
  }

  @Test
  void dashboardKeepsTheOriginalPanelsExactly() {
    JsonNode d = dashboard();
    assertThat(d.get("uid").asText()).isEqualTo("minitower");
    assertThat(d.get("title").asText()).isEqualTo("MiniTower");
    assertThat(d.get("tags").toString()).isEqualTo("[\"minitower\"]");
    assertThat(d.get("refresh").asText()).isEqualTo("5s");
    assertThat(d.get("time").get("from").asText()).isEqualTo("now-15m");
    assertThat(d.get("graphTooltip").asInt()).as("shared crosshair").isEqualTo(1);
    List<String> pq = List.of("p50", "p95", "p99");
    assertThat(panels().subList(0, 10))
        .containsExactly(
            new Panel(
                "Overview",
                "Runs Created",
                "stat",
                "ops",
                List.of("sum(rate(minitower_runs_created_total[5m]))"),
                List.of("")),
            new Panel(
                "Overview",
                "Runs Completed",
                "stat",
                "ops",
                List.of("sum(rate(minitower_runs_completed_total[5m]))"),
                List.of("")),
            new Panel(
                "Overview",
                "Queue Depth",
                "stat",
                "none",
                List.of("sum(minitower_runs_pending) or vector(0)"),
                List.of("")),
            new Panel(
                "Overview",
                "Runners Online",
                "stat",
                "none",
                List.of("sum(minitower_runners_online) or vector(0)"),
                List.of("")),
            new Panel(
                "Run Performance",
                "Queue Wait Time",
                "timeseries",
                "s",
                quantiles("minitower_run_queue_wait_seconds"),
                pq),
            new Panel(
                "Run Performance",
                "Execution Duration",
                "timeseries",
                "s",
                quantiles("minitower_run_execution_seconds"),
                pq),
            new Panel(
                "Outcomes",
                "Run Outcomes by Status",
                "timeseries",
                "ops",
                List.of("sum by (status) (rate(minitower_runs_completed_total[5m]))"),
                List.of("{{status}}")),
            new Panel(
                "Outcomes",
                "Retries",
                "timeseries",
                "ops",
                List.of("sum(rate(minitower_runs_retried_total[5m]))"),
                List.of("retries")),
            new Panel(
                "HTTP",
                "Request Rate by Endpoint",
                "timeseries",
                "ops",
                List.of("sum by (path) (rate(minitower_http_requests_total[5m]))"),
                List.of("{{path}}")),
            new Panel(
                "HTTP",
                "Request Latency p99 by Endpoint",
                "timeseries",
                "s",
                List.of(
                    "histogram_quantile(0.99, sum by (path, le) (rate(minitower_http_request_duration_seconds_bucket[5m])))"),
                List.of("{{path}}")));
  }

  @Test
  void dashboardLayoutAndThresholdsFollowTheOriginal() {
    List<JsonNode> panels = new ArrayList<>();
    dashboard().get("panels").forEach(panels::add);
    List<JsonNode> original =
        panels.stream().filter(p -> !p.get("type").asText().equals("row")).limit(10).toList();
    for (int i = 0; i < 4; i++) {
      JsonNode grid = original.get(i).get("gridPos");
      assertThat(grid.get("w").asInt()).isEqualTo(6);
      assertThat(grid.get("x").asInt()).isEqualTo(6 * i);
      assertThat(grid.get("y").asInt()).isEqualTo(original.get(0).get("gridPos").get("y").asInt());
    }
    for (int i = 4; i < 10; i += 2) {
      JsonNode left = original.get(i).get("gridPos");
      JsonNode right = original.get(i + 1).get("gridPos");
      assertThat(
              List.of(
                  left.get("w").asInt(),
                  left.get("x").asInt(),
                  right.get("w").asInt(),
                  right.get("x").asInt()))
          .containsExactly(12, 0, 12, 12);
      assertThat(left.get("y")).isEqualTo(right.get("y"));
    }
    assertThat(original.get(0).get("options").get("graphMode").asText()).isEqualTo("area");
    assertThat(steps(original.get(2))).containsExactly("green@null", "yellow@5", "red@20");
    assertThat(steps(original.get(3))).containsExactly("red@null", "green@1");
    assertThat(
            original
                .get(6)
                .get("fieldConfig")
                .get("defaults")
                .get("custom")
                .get("stacking")
                .get("mode")
                .asText())
        .isEqualTo("normal");
    for (JsonNode p : panels) {
      if (!p.get("type").asText().equals("row")) {
        assertThat(p.get("datasource").get("uid").asText()).isEqualTo("prometheus");
        assertThat(p.get("gridPos").get("x").asInt() + p.get("gridPos").get("w").asInt())
            .isLessThanOrEqualTo(24);
      }
    }
    assertThat(panels).extracting(p -> p.get("id").asInt()).doesNotHaveDuplicates();
  }

  private static List<String> steps(JsonNode panel) {
    List<String> steps = new ArrayList<>();
    panel
        .get("fieldConfig")
        .get("defaults")
        .get("thresholds")
        .get("steps")
        .forEach(s -> steps.add(s.get("color").asText() + "@" + s.get("value").asText()));
    return steps;
  }

  @Test
  void dashboardAddsPerServiceLeaseQueueAndOutboxPanels() {
    List<Panel> extra = panels().subList(10, panels().size());
    assertThat(extra)
        .extracting(Panel::title)
        .contains(
            "Request Rate by Service",
            "Request Latency p99 by Service",
            "Lease Rate by Environment",
            "Queue Depth by Environment",
            "Outbox Backlog",
            "Outbox Publish Lag");
    assertThat(extra)
        .filteredOn(p -> p.title().endsWith("by Service"))
        .allSatisfy(p -> assertThat(p.exprs()).allMatch(e -> e.contains("by (job")));
  }
}
