package dev.minitower.system.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady load through the real services: one thread creates runs (with an Idempotency-Key, retried
 * until acknowledged), one fake runner leases, starts and completes them (retried while the answer
 * is unknown). Records latencies and every acknowledged write, so that a scenario can check that
 * nothing acknowledged was lost.
 */
public final class Load implements AutoCloseable {
  private final Api team;
  private final String app;
  private final String env;
  private final Runner runner;
  private final AtomicBoolean running = new AtomicBoolean(true);
  public final AtomicLong createErrors = new AtomicLong();
  public final AtomicLong retried = new AtomicLong();
  public final ConcurrentHashMap<String, Long> createdRuns = new ConcurrentHashMap<>();
  public final ConcurrentHashMap<Long, Boolean> completedRuns = new ConcurrentHashMap<>();
  private final List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = new ArrayList<>();
  private final long pauseMs;

  public Load(Api team, String app, String env, Runner runner, long pauseMs) {
    this.team = team;
    this.app = app;
    this.env = env;
    this.runner = runner;
    this.pauseMs = pauseMs;
  }

  public Load start() {
    threads.add(new Thread(this::create, "load-create"));
    if (runner != null) {
      threads.add(new Thread(this::work, "load-runner"));
    }
    threads.forEach(Thread::start);
    return this;
  }

  private void create() {
    long i = 0;
    while (running.get()) {
      String key = "load-" + (i++);
      String body = "{\"environment\":\"" + env + "\",\"max_retries\":5}";
      while (running.get()) {
        long t0 = System.nanoTime();
        Http.Res r = team.post("/api/v1/apps/" + app + "/runs", body, "Idempotency-Key", key);
        latencies.add(new long[] {System.currentTimeMillis(), (System.nanoTime() - t0) / 1000});
        if (r.status() == 201 || r.status() == 200) {
          createdRuns.put(key, r.json().get("run_id").asLong());
          break;
        }
        createErrors.incrementAndGet();
        retried.incrementAndGet();
        pause(200);
      }
      pause(pauseMs);
    }
  }

  private void work() {
    while (running.get()) {
      Http.Res r = Http.post(runner.base + "/api/v1/runs/lease", runner.token, (String) null);
      if (r.status() != 200) {
        pause(r.status() == 204 ? 50 : 300);
        continue;
      }
      long run = r.json().get("run_id").asLong();
      String lease = r.json().get("lease_token").asText();
      if (call(run, lease, "start", null)
          && call(run, lease, "result", "{\"status\":\"completed\",\"exit_code\":0}")) {
        completedRuns.put(run, true);
      }
    }
  }

  private boolean call(long run, String lease, String action, String body) {
    while (running.get()) {
      Http.Res r = runner.call(run, lease, action, body);
      if (r.status() == 200) {
        return true;
      }
      if (r.status() == 409 || r.status() == 410) {
        return false;
      }
      retried.incrementAndGet();
      pause(200);
    }
    return false;
  }

  /** 99th percentile of create latencies (ms) in [fromMs, toMs) wall-clock. */
  public double p99(long fromMs, long toMs) {
    List<Long> l = new ArrayList<>();
    synchronized (latencies) {
      for (long[] x : latencies) {
        if (x[0] >= fromMs && x[0] < toMs) {
          l.add(x[1]);
        }
      }
    }
    if (l.isEmpty()) {
      return 0;
    }
    Collections.sort(l);
    return l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)) / 1000.0;
  }

  public long requestsBetween(long fromMs, long toMs) {
    synchronized (latencies) {
      return latencies.stream().filter(x -> x[0] >= fromMs && x[0] < toMs).count();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(60_000);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
