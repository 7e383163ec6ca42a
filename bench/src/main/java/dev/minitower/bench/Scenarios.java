package dev.minitower.bench;

import dev.minitower.model.runner.RegisterResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** The four scenarios, each in its own environment so no other runner takes its work. */
final class Scenarios {
  static final String APP = "bench-app";

  private final BenchArgs args;
  private final ProcStats proc;
  private final String prefix;
  private String teamToken;
  private final List<String> apps = new ArrayList<>();
  private final AtomicLong nextApp = new AtomicLong();
  private long teamId;

  Scenarios(BenchArgs args, ProcStats proc, String prefix) {
    this.args = args;
    this.proc = proc;
    this.prefix = prefix;
  }

  /** Team, app and one version (idempotent across bench runs). */
  void setup() throws IOException {
    Http http = new Http(args.apiUrl, args.runnerUrl, new Metrics());
    teamToken = http.teamToken(args.bootstrapToken);
    teamId = http.teamId(teamToken);
    for (int i = 0; i < args.apps; i++) {
      String app = i == 0 ? APP : APP + "-" + (i + 1);
      http.ensureApp(teamToken, app);
      http.uploadVersion(teamToken, app, Artifact.tarGz(app));
      apps.add(app);
    }
  }

  private String environment(Http http, String scenario) throws IOException {
    String env = prefix + "-" + scenario;
    http.createEnvironment(teamToken, env);
    return env;
  }

  private List<RegisterResponse> register(Http http, String env, int n) throws IOException {
    List<RegisterResponse> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(http.register(args.registrationToken, env + "-r" + i, env));
    }
    return out;
  }

  private static ExecutorService daemonPool(int n, String name) {
    return Executors.newFixedThreadPool(
        n,
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Starts one thread per runner; they stop when {@code stop} is set (after their current call).
   */
  private void startRunners(
      Http http,
      List<RegisterResponse> runners,
      Metrics m,
      java.util.concurrent.atomic.AtomicBoolean stop,
      String waitParam,
      Duration pollSleep,
      Duration work) {
    for (RegisterResponse r : runners) {
      Thread t =
          new Thread(
              new SimRunner(
                  http,
                  r.token(),
                  m,
                  stop::get,
                  waitParam,
                  pollSleep,
                  work,
                  args.heartbeatInterval,
                  args.batchHeartbeat,
                  args.logLines,
                  !args.classicProtocol,
                  !args.classicProtocol && args.resultLeases),
              "sim-" + r.name());
      t.setDaemon(true);
      t.start();
    }
  }

  /** Creates {@code n} runs with {@code producers} concurrent creators; seconds taken. */
  private double createAll(Http http, String env, int n, int producers, Metrics m)
      throws Exception {
    ExecutorService pool = daemonPool(producers, "producer");
    AtomicLong left = new AtomicLong(n);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      fs.add(
          pool.submit(
              () -> {
                while (left.getAndDecrement() > 0) {
                  createOne(http, env, m);
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return (System.nanoTime() - t0) / 1e9;
  }

  private void createOne(Http http, String env, Metrics m) {
    long sent = System.nanoTime();
    try {
      String app = apps.get((int) (nextApp.getAndIncrement() % apps.size()));
      long id = http.createRun(teamToken, app, env);
      m.created(id, sent);
    } catch (IOException e) {
      // counted
    }
  }

  private static boolean awaitCompleted(Metrics m, long target, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (m.completed.get() < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(1_000_000);
    }
    return true;
  }

  private void finish(
      ScenarioResult r, Metrics m, Map<String, ProcStats.Sample> before, double seconds) {
    r.take(m);
    r.seconds = seconds;
    Map<String, ProcStats.Sample> after = proc.sample();
    r.cpuSeconds = ProcStats.cpuDelta(before, after);
    r.processesAfter = after;
  }

  // ------------------------------------------------------------------ burst (+ ceiling)

  /**
   * Unmeasured: {@code runs} runs through the whole lifecycle (concurrent producers and runners, as
   * in steady) so the services' JIT has compiled the hot paths before anything is measured.
   *
   * @return seconds taken
   */
  double warmUp(int runs) throws Exception {
    Metrics m = new Metrics();
    Http http = new Http(args.apiUrl, args.runnerUrl, m);
    String env = environment(http, "warmup");
    List<RegisterResponse> runners = register(http, env, args.runners);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    long t0 = System.nanoTime();
    startRunners(http, runners, m, stop, args.leaseWaitParam(), Duration.ZERO, Duration.ZERO);
    createAll(http, env, runs, args.producers, m);
    awaitCompleted(m, m.created.get(), Duration.ofSeconds(Math.max(120, runs / 5)));
    stop.set(true);
    return (System.nanoTime() - t0) / 1e9;
  }

  ScenarioResult burst() throws Exception {
    ScenarioResult r =
        new ScenarioResult(
            "burst",
            args.burstRuns
                + (args.apps > 1 ? " runs of " + args.apps + " apps" : " runs")
                + " queued by "
                + args.producers
                + " producers, then drained by "
                + args.runners
                + " runners");
    r.params.put("runs", args.burstRuns);
    r.params.put("producers", args.producers);
    r.params.put("runners", args.runners);
    r.params.put("work_ms", args.work.toMillis());
    r.params.put("apps", args.apps);
    Metrics m = new Metrics();
    Http http = new Http(args.apiUrl, args.runnerUrl, m);
    String env = environment(http, "burst");
    List<RegisterResponse> runners = register(http, env, args.runners);
    if (args.pgbench) {
      double tps = PgStats.pgbenchTps(args.dbUrl, args.dbUser, args.dbPassword);
      r.figures.put("pgbench_tpcb_tps", tps);
    }
    PgStats.Counters db0 = PgStats.counters(args.dbUrl, args.dbUser, args.dbPassword);
    var before = proc.sample();
    double createSeconds = createAll(http, env, args.burstRuns, args.producers, m);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    long t1 = System.nanoTime();
    startRunners(http, runners, m, stop, args.leaseWaitParam(), Duration.ZERO, args.work);
    Duration max = Duration.ofSeconds(Math.max(120, args.burstRuns / 5));
    awaitCompleted(m, m.created.get(), max);
    double drainSeconds = (System.nanoTime() - t1) / 1e9;
    stop.set(true);
    finish(r, m, before, createSeconds + drainSeconds);
    r.figures.put("create_seconds", createSeconds);
    r.figures.put("drain_seconds", drainSeconds);
    r.figures.put("create_runs_per_s", m.created.get() / createSeconds);
    r.figures.put("drain_runs_per_s", r.completed / drainSeconds);
    r.runsPerSecond = r.completed / (createSeconds + drainSeconds);
    PgStats.Counters db1 = PgStats.counters(args.dbUrl, args.dbUser, args.dbPassword);
    r.figures.put(
        "commits_per_run", (db1.commits() - db0.commits()) / (double) Math.max(1, r.completed));
    r.figures.put(
        "wal_flushes_per_run",
        (db1.walSyncs() - db0.walSyncs()) / (double) Math.max(1, r.completed));
    double serviceCpu =
        r.cpuSeconds.entrySet().stream()
            .filter(e -> e.getKey().endsWith("-service"))
            .mapToDouble(java.util.Map.Entry::getValue)
            .sum();
    r.figures.put("service_cpu_ms_per_run", serviceCpu * 1000 / Math.max(1, r.completed));
    r.figures.put("protocol_fused", args.classicProtocol ? 0.0 : 1.0);
    r.figures.put("result_leases", !args.classicProtocol && args.resultLeases ? 1.0 : 0.0);
    Double tps = r.figures.get("pgbench_tpcb_tps");
    if (tps != null && tps > 0) {
      r.figures.put("runs_per_s_over_pgbench_tps", r.runsPerSecond / tps);
    }

    if (args.ceiling) {
      String cenv = environment(http, "ceiling");
      List<Long> ids = new ArrayList<>();
      List<String> hashes = new ArrayList<>();
      for (RegisterResponse rr : register(http, cenv, args.runners)) {
        ids.add(rr.runnerId());
        hashes.add(Ceiling.sha256(rr.token()));
      }
      Ceiling.Target target =
          Ceiling.target(
              args.dbUrl,
              args.dbUser,
              args.dbPassword,
              teamId,
              apps,
              cenv,
              ids,
              Ceiling.sha256(teamToken),
              hashes);
      var cb = proc.sample();
      r.ceiling =
          new Ceiling(args.dbUrl, args.dbUser, args.dbPassword, target, false)
              .run(args.burstRuns, args.producers);
      r.ceilingCpuSeconds = ProcStats.cpuDelta(cb, proc.sample());
      long mc0 = PgStats.xactCommit(args.dbUrl, args.dbUser, args.dbPassword);
      Ceiling.Result minimal =
          new Ceiling(args.dbUrl, args.dbUser, args.dbPassword, target, false, true)
              .run(args.burstRuns, args.producers);
      long mc1 = PgStats.xactCommit(args.dbUrl, args.dbUser, args.dbPassword);
      r.figures.put("minimal_ceiling_runs_per_s", minimal.runsPerSecond());
      r.figures.put("minimal_ceiling_drain_runs_per_s", minimal.drainRunsPerSecond());
      r.figures.put(
          "minimal_ceiling_commits_per_run",
          (mc1 - mc0) / (double) Math.max(1, minimal.completed()));
      r.figures.put("ratio_to_minimal_ceiling", r.runsPerSecond / minimal.runsPerSecond());
      if (args.shapedCeiling) {
        r.ceilingShaped =
            new Ceiling(args.dbUrl, args.dbUser, args.dbPassword, target, true)
                .run(args.burstRuns, args.producers);
      }
    }
    return r;
  }

  // ------------------------------------------------------------------ steady

  ScenarioResult steady(double burstRate) throws Exception {
    double rate = args.steadyRate > 0 ? args.steadyRate : burstRate > 0 ? burstRate / 2 : 40;
    ScenarioResult r =
        new ScenarioResult(
            "steady",
            String.format(
                java.util.Locale.ROOT,
                "%.1f runs/s for %ds (%s), %d runners polling every 100 ms on average (50-150 ms)"
                    + " when idle",
                rate,
                args.steadyDuration.toSeconds(),
                args.steadyRate > 0 ? "fixed" : "half the burst's end-to-end rate",
                args.runners));
    r.params.put("rate_per_s", rate);
    r.params.put("seconds", args.steadyDuration.toSeconds());
    r.params.put("runners", args.runners);
    Metrics m = new Metrics();
    Http http = new Http(args.apiUrl, args.runnerUrl, m);
    String env = environment(http, "steady");
    List<RegisterResponse> runners = register(http, env, args.runners);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    var before = proc.sample();
    // Short polling: the lease latency is then the server's, not a long-poll wait.
    startRunners(http, runners, m, stop, null, Duration.ofMillis(100), args.work);
    ExecutorService pool = daemonPool(Math.max(4, args.producers), "producer");
    long total = Math.round(rate * args.steadyDuration.toMillis() / 1000.0);
    long t0 = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = t0 + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      pool.submit(() -> createOne(http, env, m));
    }
    pool.shutdown();
    pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    awaitCompleted(m, m.created.get(), Duration.ofSeconds(60));
    double seconds = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    finish(r, m, before, seconds);
    r.runsPerSecond = r.completed / seconds;
    r.figures.put("offered_runs_per_s", rate);
    return r;
  }

  // ------------------------------------------------------------------ long

  ScenarioResult longRuns() throws Exception {
    ScenarioResult r =
        new ScenarioResult(
            "long",
            args.longRunners
                + " runs of "
                + args.longWork.toSeconds()
                + " s each on as many"
                + " runners, heartbeat every "
                + args.heartbeatInterval.toMillis()
                + " ms"
                + (args.batchHeartbeat ? " (batch endpoint)" : ""));
    r.params.put("runners", args.longRunners);
    r.params.put("work_s", args.longWork.toSeconds());
    r.params.put("heartbeat_ms", args.heartbeatInterval.toMillis());
    Metrics m = new Metrics();
    Http http = new Http(args.apiUrl, args.runnerUrl, m);
    String env = environment(http, "long");
    List<RegisterResponse> runners = register(http, env, args.longRunners);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    var before = proc.sample();
    long t0 = System.nanoTime();
    createAll(http, env, args.longRunners, args.producers, m);
    startRunners(http, runners, m, stop, args.leaseWaitParam(), Duration.ZERO, args.longWork);
    awaitCompleted(m, m.created.get(), args.longWork.plusSeconds(90));
    double seconds = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    finish(r, m, before, seconds);
    r.runsPerSecond = r.completed / seconds;
    Latency.Summary hb = r.endpoints.get(args.batchHeartbeat ? "heartbeat (batch)" : "heartbeat");
    if (hb != null) {
      r.figures.put("heartbeats_per_s", hb.count() / seconds);
    }
    return r;
  }

  // ------------------------------------------------------------------ dispatch

  ScenarioResult dispatch() throws Exception {
    ScenarioResult r =
        new ScenarioResult(
            "dispatch",
            args.dispatchRuns
                + " runs created one at a time ("
                + args.dispatchGap.toMillis()
                + " ms apart) for "
                + args.dispatchRunners
                + " idle long-polling runners");
    r.params.put("runs", args.dispatchRuns);
    r.params.put("runners", args.dispatchRunners);
    Metrics m = new Metrics();
    Http http = new Http(args.apiUrl, args.runnerUrl, m);
    String env = environment(http, "dispatch");
    List<RegisterResponse> runners = register(http, env, args.dispatchRunners);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    var before = proc.sample();
    startRunners(http, runners, m, stop, args.leaseWaitParam(), Duration.ZERO, Duration.ZERO);
    Thread.sleep(1000); // let every runner park in its long poll
    long t0 = System.nanoTime();
    for (int i = 0; i < args.dispatchRuns; i++) {
      createOne(http, env, m);
      awaitCompleted(m, m.created.get(), Duration.ofSeconds(30));
      Thread.sleep(args.dispatchGap.toMillis());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    finish(r, m, before, seconds);
    r.runsPerSecond = r.completed / seconds;
    return r;
  }
}
