package dev.minitower.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Command line of {@code ./mtw bench [scenario…] [--flag value…]}; every flag has a default. */
public final class BenchArgs {
  public static final List<String> ALL_SCENARIOS = List.of("burst", "steady", "long", "dispatch");

  public List<String> scenarios = new ArrayList<>(ALL_SCENARIOS);
  public String apiUrl = "http://127.0.0.1:8080";
  public String runnerUrl = "http://127.0.0.1:8081";
  public String dbUrl = "jdbc:postgresql://127.0.0.1:55432/minitower";
  public String dbUser = "minitower";
  public String dbPassword = "minitower";
  public String bootstrapToken = "dev";
  public String registrationToken = "runner-secret";
  public Path mtwHome = Path.of("/tmp/minitower-local");
  public Path out = Path.of("bench/target/bench");

  // burst
  public int burstRuns = 2000;
  public int runners = 16;
  public int producers = 8;
  // steady: runs/s; 0 = half of the burst's end-to-end rate (or 40/s when burst did not run)
  public double steadyRate = 0;
  public Duration steadyDuration = Duration.ofSeconds(20);
  // long
  public int longRunners = 32;
  public Duration longWork = Duration.ofSeconds(15);
  public Duration heartbeatInterval = Duration.ofSeconds(1);
  // dispatch
  public int dispatchRuns = 100;
  public int dispatchRunners = 4;
  public Duration dispatchGap = Duration.ofMillis(50);

  public Duration work = Duration.ZERO;
  public Duration leaseWait = Duration.ofSeconds(20);
  public boolean batchHeartbeat = false;

  /**
   * The runner protocol the simulated runners speak: {@code fused} (this repo's agent: batch lease
   * with start, heartbeats only while work lasts, the result carries the log lines) or {@code
   * classic} (the original agent: lease, start, at least one heartbeat, logs, result).
   */
  public boolean classicProtocol = false;

  // fused protocol only: each result asks for the runner's next run (as this repo's agent does)
  public boolean resultLeases = true;

  /** Measure pgbench's tpcb-like on the same cluster first (the reference of the ratio). */
  public boolean pgbench = true;

  public int logLines = 3;
  public boolean ceiling = true;
  public boolean shapedCeiling = true;
  public int warmupRuns = 1500;
  public int apps = 1;

  private static final Map<String, String> HELP =
      Map.ofEntries(
          Map.entry("--api", "api-service base URL"),
          Map.entry("--runner-url", "runner-service base URL"),
          Map.entry("--db-url", "JDBC URL of the stack's PostgreSQL (ceiling)"),
          Map.entry("--burst-runs", "runs queued by burst (2000)"),
          Map.entry("--runners", "simulated runners of burst/steady (16)"),
          Map.entry("--producers", "concurrent creators (8)"),
          Map.entry("--steady-rate", "runs/s of steady, 0 = half the burst's end-to-end rate"),
          Map.entry("--steady-duration", "length of steady (20s)"),
          Map.entry("--long-runners", "runners (and runs) of long (32)"),
          Map.entry("--long-work", "duration of each long run (15s)"),
          Map.entry("--heartbeat-interval", "heartbeat period while working (1s)"),
          Map.entry("--dispatch-runs", "runs created one at a time by dispatch (100)"),
          Map.entry("--dispatch-runners", "idle runners of dispatch (4)"),
          Map.entry("--dispatch-gap", "pause between dispatch runs (50ms)"),
          Map.entry("--log-lines", "lines in each run's log batch (3)"),
          Map.entry("--db-user", "database user (minitower; MINITOWER_DB_USER)"),
          Map.entry("--db-password", "database password (MINITOWER_DB_PASSWORD)"),
          Map.entry("--mtw-home", "state folder of ./mtw up, for the pid files (MTW_HOME)"),
          Map.entry("--bootstrap-token", "bootstrap token (dev; MINITOWER_BOOTSTRAP_TOKEN)"),
          Map.entry("--registration-token", "runner registration token (runner-secret)"),
          Map.entry("--work", "fixed workload of burst/steady runs (0s = no-op)"),
          Map.entry("--lease-wait", "long-poll wait of lease calls (20s)"),
          Map.entry("--batch-heartbeat", "use POST /api/v1/runners/heartbeat"),
          Map.entry(
              "--classic",
              "simulate the original agent (lease, start, heartbeat, logs, result) instead of the"
                  + " fused protocol of this repo's agent"),
          Map.entry(
              "--no-result-lease",
              "fused protocol without the next lease on each result (every run leased by a call)"),
          Map.entry("--no-pgbench", "skip the pgbench tpcb-like reference"),
          Map.entry("--no-ceiling", "skip the direct-SQL ceiling"),
          Map.entry("--apps", "apps the producers spread their runs over (1)"),
          Map.entry("--warmup-runs", "unmeasured runs first, to warm the JIT (1500; 0 = none)"),
          Map.entry("--no-shaped-ceiling", "skip the ceiling with the services' extra statements"),
          Map.entry("--out", "report folder (bench/target/bench)"));

  public static String usage() {
    StringBuilder b =
        new StringBuilder(
            "usage: ./mtw bench [burst|steady|long|dispatch…] [flags]\n"
                + "  (no scenario = all four; sizes below are the modest defaults)\n");
    HELP.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> b.append(String.format(Locale.ROOT, "  %-22s %s%n", e.getKey(), e.getValue())));
    return b.toString();
  }

  /** Defaults from the environment of {@code ./mtw}, then the command line. */
  public static BenchArgs parse(String[] argv, Map<String, String> env) {
    BenchArgs a = new BenchArgs();
    if (env.get("MINITOWER_DB_URL") != null) {
      a.dbUrl = env.get("MINITOWER_DB_URL");
    }
    if (env.get("MINITOWER_DB_USER") != null) {
      a.dbUser = env.get("MINITOWER_DB_USER");
    }
    if (env.get("MINITOWER_DB_PASSWORD") != null) {
      a.dbPassword = env.get("MINITOWER_DB_PASSWORD");
    }
    if (env.get("MINITOWER_BOOTSTRAP_TOKEN") != null) {
      a.bootstrapToken = env.get("MINITOWER_BOOTSTRAP_TOKEN");
    }
    if (env.get("MINITOWER_RUNNER_REGISTRATION_TOKEN") != null) {
      a.registrationToken = env.get("MINITOWER_RUNNER_REGISTRATION_TOKEN");
    }
    if (env.get("MTW_HOME") != null) {
      a.mtwHome = Path.of(env.get("MTW_HOME"));
    }
    List<String> named = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("--")) {
        String s = arg.toLowerCase(Locale.ROOT);
        if (!ALL_SCENARIOS.contains(s)) {
          throw new IllegalArgumentException("unknown scenario: " + arg);
        }
        named.add(s);
        continue;
      }
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (flag) {
        case "--batch-heartbeat" -> a.batchHeartbeat = true;
        case "--classic" -> a.classicProtocol = true;
        case "--no-result-lease" -> a.resultLeases = false;
        case "--no-pgbench" -> a.pgbench = false;
        case "--no-ceiling" -> a.ceiling = false;
        case "--no-shaped-ceiling" -> a.shapedCeiling = false;
        case "--help", "-h" -> throw new IllegalArgumentException("help");
        default -> {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new IllegalArgumentException(flag + " needs a value");
            }
            value = argv[++i];
          }
          a.set(flag, value);
        }
      }
    }
    if (!named.isEmpty()) {
      a.scenarios = named;
    }
    return a;
  }

  private void set(String flag, String v) {
    switch (flag) {
      case "--api" -> apiUrl = stripSlash(v);
      case "--runner-url" -> runnerUrl = stripSlash(v);
      case "--db-url" -> dbUrl = v;
      case "--db-user" -> dbUser = v;
      case "--db-password" -> dbPassword = v;
      case "--bootstrap-token" -> bootstrapToken = v;
      case "--registration-token" -> registrationToken = v;
      case "--mtw-home" -> mtwHome = Path.of(v);
      case "--out" -> out = Path.of(v);
      case "--burst-runs" -> burstRuns = positive(flag, v);
      case "--runners" -> runners = positive(flag, v);
      case "--producers" -> producers = positive(flag, v);
      case "--steady-rate" -> steadyRate = Double.parseDouble(v);
      case "--steady-duration" -> steadyDuration = duration(v);
      case "--long-runners" -> longRunners = positive(flag, v);
      case "--long-work" -> longWork = duration(v);
      case "--heartbeat-interval" -> heartbeatInterval = duration(v);
      case "--dispatch-runs" -> dispatchRuns = positive(flag, v);
      case "--dispatch-runners" -> dispatchRunners = positive(flag, v);
      case "--dispatch-gap" -> dispatchGap = duration(v);
      case "--work" -> work = duration(v);
      case "--lease-wait" -> leaseWait = duration(v);
      case "--log-lines" -> logLines = positive(flag, v);
      case "--warmup-runs" -> warmupRuns = nonNegative(flag, v);
      case "--apps" -> apps = positive(flag, v);
      default -> throw new IllegalArgumentException("unknown flag: " + flag);
    }
  }

  private static String stripSlash(String v) {
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  private static int nonNegative(String flag, String v) {
    return "0".equals(v.trim()) ? 0 : positive(flag, v);
  }

  private static int positive(String flag, String v) {
    int n;
    try {
      n = Integer.parseInt(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a number: " + v);
    }
    if (n <= 0) {
      throw new IllegalArgumentException(flag + " must be > 0");
    }
    return n;
  }

  /** {@code 250ms}, {@code 20s}, {@code 2m}, or a bare number of seconds. */
  public static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      }
      if (s.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: " + v);
    }
  }

  /** The long-poll wait as the {@code ?wait=} query value. */
  public String leaseWaitParam() {
    return leaseWait.toMillis() <= 0 ? null : leaseWait.toMillis() + "ms";
  }
}
