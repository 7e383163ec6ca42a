package dev.minitower.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** {@code ./mtw bench [scenario…] [flags]}: drives a running stack and reports. */
public final class Main {
  private Main() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args;
    try {
      args = BenchArgs.parse(argv, System.getenv());
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) {
        System.err.println("bench: " + e.getMessage());
      }
      System.err.print(BenchArgs.usage());
      System.exit(2);
      return;
    }
    Report report = new Report(Instant.now(), Report.describeMachine());
    report.loadBefore = Report.loadAverage();
    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 6);
    log(
        "bench "
            + prefix
            + ": scenarios "
            + args.scenarios
            + " against "
            + args.apiUrl
            + " / "
            + args.runnerUrl);
    Scenarios s = new Scenarios(args, new ProcStats(args.mtwHome), prefix);
    s.setup();
    if (args.warmupRuns > 0) {
      log("warm-up: " + args.warmupRuns + " unmeasured runs …");
      report.warmupRuns = args.warmupRuns;
      report.warmupSeconds = s.warmUp(args.warmupRuns);
      log(String.format(java.util.Locale.ROOT, "warm-up done (%.0f s)", report.warmupSeconds));
    }
    // steady runs at half of what the burst sustained end to end (creating and draining, as steady
    // does), not half the drain-only rate: that was ~90 % of the sustainable rate once draining got
    // cheaper than creating (docs/performance.md).
    double burstRate = 0;
    for (String name : BenchArgs.ALL_SCENARIOS) {
      if (!args.scenarios.contains(name)) {
        continue;
      }
      log("scenario " + name + " …");
      long t0 = System.nanoTime();
      ScenarioResult r =
          switch (name) {
            case "burst" -> s.burst();
            case "steady" -> s.steady(burstRate);
            case "long" -> s.longRuns();
            default -> s.dispatch();
          };
      if ("burst".equals(name)) {
        burstRate = r.runsPerSecond;
      }
      report.scenarios.add(r);
      log(
          String.format(
              java.util.Locale.ROOT,
              "scenario %s: %d/%d runs, %.1f runs/s, created→started %s, %d errors (%.0f s)",
              name,
              r.completed,
              r.created,
              r.runsPerSecond,
              Report.triple(r.createdToStarted),
              r.errors.values().stream().mapToLong(Long::longValue).sum(),
              (System.nanoTime() - t0) / 1e9));
    }
    report.loadAfter = Report.loadAverage();
    Path out = args.out;
    for (Path p : report.write(out)) {
      log("wrote " + p);
    }
    System.out.println(report.markdown());
    System.exit(0);
  }

  static void log(String msg) {
    System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + msg);
  }
}
