package dev.minitower.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON and Markdown reports of one bench run, and the verdict on the targets. */
public final class Report {
  static final String[] SERVICES = {"api-service", "runner-service", "scheduler-service"};

  public final Instant startedAt;
  public final Map<String, String> machine;
  public final List<ScenarioResult> scenarios = new ArrayList<>();
  public String loadBefore = "";
  public String loadAfter = "";
  public int warmupRuns;
  public double warmupSeconds;

  public Report(Instant startedAt, Map<String, String> machine) {
    this.startedAt = startedAt;
    this.machine = machine;
  }

  /** One target, its figure and whether it is met. */
  public record Check(String target, String figure, boolean met) {}

  public ScenarioResult scenario(String name) {
    return scenarios.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
  }

  public List<Check> checks() {
    List<Check> out = new ArrayList<>();
    ScenarioResult burst = scenario("burst");
    if (burst != null && burst.ceiling != null) {
      double ratio = burst.ceilingRatio();
      out.add(new Check("end-to-end ≥ 0.5 × SQL ceiling", f2(ratio) + " ×", ratio >= 0.5));
    }
    ScenarioResult d = scenario("dispatch");
    if (d != null && d.createdToStarted.count() > 0) {
      out.add(
          new Check(
              "dispatch created→started p50 ≤ 50 ms",
              Latency.fmt(d.createdToStarted.p50()) + " ms",
              d.createdToStarted.p50() <= 50));
      out.add(
          new Check(
              "dispatch created→started p99 ≤ 250 ms",
              Latency.fmt(d.createdToStarted.p99()) + " ms",
              d.createdToStarted.p99() <= 250));
    }
    ScenarioResult s = scenario("steady");
    // The original protocol's lease, or this repo's fused lease-and-start.
    Latency.Summary steadyLease =
        s == null
            ? null
            : s.endpoints.get("lease") != null
                ? s.endpoints.get("lease")
                : s.endpoints.get("lease+start");
    if (steadyLease != null) {
      Latency.Summary l = steadyLease;
      out.add(
          new Check(
              "lease p99 ≤ 25 ms at half max throughput (steady)",
              Latency.fmt(l.p99()) + " ms",
              l.p99() <= 25));
    }
    if (burst != null) {
      for (String svc : SERVICES) {
        ProcStats.Sample p = burst.processesAfter.get(svc);
        if (p != null) {
          out.add(
              new Check(
                  svc + " RSS ≤ 300 MB after burst",
                  (p.rssKb() / 1024) + " MB",
                  p.rssKb() <= 300 * 1024));
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ JSON

  public String json() throws IOException {
    ObjectNode root = Http.JSON.createObjectNode();
    root.put("started_at", startedAt.toString());
    root.set("machine", Http.JSON.valueToTree(machine));
    root.put("load_average_before", loadBefore);
    root.put("load_average_after", loadAfter);
    root.put("warmup_runs", warmupRuns);
    root.put("warmup_seconds", round(warmupSeconds));
    ArrayNode arr = root.putArray("scenarios");
    for (ScenarioResult r : scenarios) {
      ObjectNode n = arr.addObject();
      n.put("name", r.name);
      n.put("description", r.description);
      n.set("params", Http.JSON.valueToTree(r.params));
      n.put("created", r.created);
      n.put("completed", r.completed);
      n.put("seconds", round(r.seconds));
      n.put("runs_per_s", round(r.runsPerSecond));
      Map<String, Double> figs = new LinkedHashMap<>();
      r.figures.forEach((k, v) -> figs.put(k, round(v)));
      n.set("figures", Http.JSON.valueToTree(figs));
      n.set("created_to_leased_ms", Http.JSON.valueToTree(r.createdToLeased));
      n.set("created_to_started_ms", Http.JSON.valueToTree(r.createdToStarted));
      n.set("endpoints_ms", Http.JSON.valueToTree(r.endpoints));
      n.set("errors", Http.JSON.valueToTree(r.errors));
      Map<String, Double> cpu = new LinkedHashMap<>();
      r.cpuSeconds.forEach((k, v) -> cpu.put(k, round(v)));
      n.set("cpu_seconds", Http.JSON.valueToTree(cpu));
      n.set("processes_after", Http.JSON.valueToTree(r.processesAfter));
      if (r.ceiling != null) {
        ObjectNode c = Http.JSON.valueToTree(r.ceiling);
        c.put("runs_per_s", round(r.ceiling.runsPerSecond()));
        c.put("drain_runs_per_s", round(r.ceiling.drainRunsPerSecond()));
        c.set("cpu_seconds", Http.JSON.valueToTree(r.ceilingCpuSeconds));
        n.set("ceiling", c);
        n.put("ratio_to_ceiling", round(r.ceilingRatio()));
      }
      if (r.ceilingShaped != null) {
        ObjectNode c = Http.JSON.valueToTree(r.ceilingShaped);
        c.put("runs_per_s", round(r.ceilingShaped.runsPerSecond()));
        c.put("drain_runs_per_s", round(r.ceilingShaped.drainRunsPerSecond()));
        n.set("ceiling_service_shaped", c);
      }
    }
    ArrayNode checks = root.putArray("targets");
    for (Check c : checks()) {
      checks.add(Http.JSON.valueToTree(c));
    }
    return Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
        + "\n";
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** A figure with enough digits to read: ratios such as 0.039 kept, large numbers to 0.1. */
  static String figure(double v) {
    return Math.abs(v) >= 10 || v == 0 ? f1(v) : String.format(Locale.ROOT, "%.3g", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  // ------------------------------------------------------------------ Markdown

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# MiniTower bench — ").append(startedAt).append("\n\n");
    b.append("Machine: ")
        .append(machine.getOrDefault("cpu", "?"))
        .append(", ")
        .append(machine.getOrDefault("nproc", "?"))
        .append(" cores, ")
        .append(machine.getOrDefault("memory", "?"))
        .append(". Load average before/after: ")
        .append(loadBefore)
        .append(" / ")
        .append(loadAfter)
        .append(". Warm-up: ")
        .append(warmupRuns)
        .append(" unmeasured runs (")
        .append(f1(warmupSeconds))
        .append(" s).\n\n");

    List<Check> checks = checks();
    if (!checks.isEmpty()) {
      b.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
      for (Check c : checks) {
        b.append("| ")
            .append(c.target())
            .append(" | ")
            .append(c.figure())
            .append(" | ")
            .append(c.met() ? "yes" : "**no**")
            .append(" |\n");
      }
      b.append('\n');
    }

    b.append("## Scenarios\n\n");
    b.append(
        "| scenario | runs done | seconds | runs/s | created→leased p50/p90/p99 ms |"
            + " created→started p50/p90/p99 ms | errors |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : scenarios) {
      b.append("| ")
          .append(r.name)
          .append(" | ")
          .append(r.completed)
          .append('/')
          .append(r.created)
          .append(" | ")
          .append(f1(r.seconds))
          .append(" | ")
          .append(f1(r.runsPerSecond))
          .append(" | ")
          .append(triple(r.createdToLeased))
          .append(" | ")
          .append(triple(r.createdToStarted))
          .append(" | ")
          .append(r.errors.values().stream().mapToLong(Long::longValue).sum())
          .append(" |\n");
    }
    b.append('\n');
    for (ScenarioResult r : scenarios) {
      b.append("### ").append(r.name).append("\n\n").append(r.description).append(".\n\n");
      if (!r.figures.isEmpty()) {
        r.figures.forEach(
            (k, v) -> b.append("- ").append(k).append(": ").append(figure(v)).append('\n'));
        b.append('\n');
      }
      if (r.ceiling != null) {
        Ceiling.Result c = r.ceiling;
        b.append("SQL ceiling (same lifecycle as direct JDBC transactions, ")
            .append(c.producers())
            .append(" producers, ")
            .append(c.workers())
            .append(" workers): ")
            .append(f1(c.runsPerSecond()))
            .append(" runs/s overall (create ")
            .append(f1(c.runs() / c.createSeconds()))
            .append("/s, drain ")
            .append(f1(c.drainRunsPerSecond()))
            .append("/s). **End-to-end / ceiling = ")
            .append(f2(r.ceilingRatio()))
            .append("** (drain only: ")
            .append(f2(r.figures.getOrDefault("drain_runs_per_s", 0.0) / c.drainRunsPerSecond()))
            .append(").\n\n");
        if (r.ceilingShaped != null) {
          Ceiling.Result cs = r.ceilingShaped;
          b.append("Service-shaped ceiling (the same, plus the statements the services add: token")
              .append(" lookups, app/version/environment reads, the re-read of a created run, the")
              .append(" separate lease check before logs and result): ")
              .append(f1(cs.runsPerSecond()))
              .append(" runs/s (create ")
              .append(f1(cs.runs() / cs.createSeconds()))
              .append("/s, drain ")
              .append(f1(cs.drainRunsPerSecond()))
              .append("/s); end-to-end / shaped = ")
              .append(f2(r.runsPerSecond / cs.runsPerSecond()))
              .append(".\n\n");
        }
        b.append("| ceiling tx | p50 ms | p99 ms |\n|---|---|---|\n");
        row(b, "create", c.createTx());
        row(b, "lease", c.leaseTx());
        row(b, "start", c.startTx());
        row(b, "heartbeat", c.heartbeatTx());
        row(b, "logs", c.logsTx());
        row(b, "result", c.resultTx());
        b.append('\n');
      }
      b.append("| endpoint | n | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
      r.endpoints.forEach(
          (k, v) ->
              b.append("| ")
                  .append(k)
                  .append(" | ")
                  .append(v.count())
                  .append(" | ")
                  .append(Latency.fmt(v.p50()))
                  .append(" | ")
                  .append(Latency.fmt(v.p90()))
                  .append(" | ")
                  .append(Latency.fmt(v.p99()))
                  .append(" | ")
                  .append(Latency.fmt(v.max()))
                  .append(" |\n"));
      b.append('\n');
      if (!r.errors.isEmpty()) {
        b.append("Errors: ");
        r.errors.forEach((k, v) -> b.append('`').append(k).append("` ×").append(v).append("; "));
        b.append("\n\n");
      }
      b.append("| process | CPU s | RSS MB after | peak RSS MB |\n|---|---|---|---|\n");
      r.processesAfter.forEach(
          (k, p) ->
              b.append("| ")
                  .append(k)
                  .append(" | ")
                  .append(f1(r.cpuSeconds.getOrDefault(k, 0.0)))
                  .append(" | ")
                  .append("postgres".equals(k) ? "-" : Long.toString(p.rssKb() / 1024))
                  .append(" | ")
                  .append("postgres".equals(k) ? "-" : Long.toString(p.hwmKb() / 1024))
                  .append(" |\n"));
      b.append('\n');
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Latency.Summary s) {
    b.append("| ")
        .append(name)
        .append(" | ")
        .append(Latency.fmt(s.p50()))
        .append(" | ")
        .append(Latency.fmt(s.p99()))
        .append(" |\n");
  }

  static String triple(Latency.Summary s) {
    if (s == null || s.count() == 0) {
      return "-";
    }
    return Latency.fmt(s.p50()) + " / " + Latency.fmt(s.p90()) + " / " + Latency.fmt(s.p99());
  }

  /** Writes {@code bench-<time>.json|md} and {@code latest.json|md} under {@code dir}. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    String stamp = startedAt.toString().replace(":", "").replaceAll("\\.\\d+", "");
    String json = json();
    String md = markdown();
    List<Path> out = new ArrayList<>();
    for (String base : new String[] {"bench-" + stamp, "latest"}) {
      Path j = dir.resolve(base + ".json");
      Path m = dir.resolve(base + ".md");
      Files.writeString(j, json);
      Files.writeString(m, md);
      out.add(j);
      out.add(m);
    }
    return out;
  }

  /** nproc, memory and CPU model of this machine. */
  public static Map<String, String> describeMachine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          m.put("memory", String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0));
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave out
    }
    m.put("java", System.getProperty("java.version"));
    return m;
  }

  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
