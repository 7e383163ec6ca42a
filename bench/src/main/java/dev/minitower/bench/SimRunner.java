package dev.minitower.bench;

import dev.minitower.model.runner.HeartbeatBatchRequest;
import dev.minitower.model.runner.LeaseResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A simulated runner agent. Classic (the original agent): lease (long-poll or short poll), start,
 * work for a fixed time while heartbeating, at least one heartbeat, one log batch, result {@code
 * completed}. Fused (this repo's agent): batch lease with start, heartbeats only while the work
 * lasts, the result carrying the log lines and asking for the runner's next run (which, when
 * granted, is worked on without a lease call). Only the protocol; no process is spawned.
 */
final class SimRunner implements Runnable {
  private final Http http;
  private final String token;
  private final Metrics metrics;
  private final BooleanSupplier stop;
  private final String waitParam;
  private final Duration pollSleep;
  private final Duration work;
  private final Duration heartbeatInterval;
  private final boolean batchHeartbeat;
  private final int logLines;
  private final boolean fused;
  private final boolean resultLeases;

  SimRunner(
      Http http,
      String token,
      Metrics metrics,
      BooleanSupplier stop,
      String waitParam,
      Duration pollSleep,
      Duration work,
      Duration heartbeatInterval,
      boolean batchHeartbeat,
      int logLines,
      boolean fused,
      boolean resultLeases) {
    this.fused = fused;
    this.resultLeases = resultLeases;
    this.http = http;
    this.token = token;
    this.metrics = metrics;
    this.stop = stop;
    this.waitParam = waitParam;
    this.pollSleep = pollSleep;
    this.work = work;
    this.heartbeatInterval = heartbeatInterval;
    this.batchHeartbeat = batchHeartbeat;
    this.logLines = logLines;
  }

  @Override
  public void run() {
    Duration timeout = Duration.ofSeconds(30);
    Optional<LeaseResponse> next = Optional.empty();
    while (!stop.getAsBoolean()) {
      Optional<LeaseResponse> lease = next;
      next = Optional.empty();
      if (lease.isEmpty()) {
        try {
          lease =
              fused
                  ? http.leaseStarted(token, waitParam, timeout)
                  : http.lease(token, waitParam, timeout);
        } catch (IOException e) {
          if (!sleep(Duration.ofMillis(200))) {
            return;
          }
          continue;
        }
        if (lease.isEmpty()) {
          if (!pollSleep.isZero()
              && !sleep(jittered(pollSleep, ThreadLocalRandom.current().nextDouble()))) {
            return;
          }
          continue;
        }
        metrics.leased(lease.get().runId(), System.nanoTime());
      }
      try {
        next = execute(lease.get());
      } catch (IOException e) {
        // counted by Http; the lease is left to the reaper
      }
    }
  }

  /** Works on one lease; returns the next run granted with its result, if any. */
  private Optional<LeaseResponse> execute(LeaseResponse l) throws IOException {
    long runId = l.runId();
    String lt = l.leaseToken();
    if (!fused) {
      http.start(token, runId, lt);
    }
    metrics.started(runId, System.nanoTime());
    long end = System.nanoTime() + work.toNanos();
    int beats = 0;
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      if (!sleep(Duration.ofNanos(Math.min(left, heartbeatInterval.toNanos())))) {
        return Optional.empty();
      }
      if (end - System.nanoTime() > 0) {
        beat(runId, lt);
        beats++;
      }
    }
    Optional<LeaseResponse> next = Optional.empty();
    if (fused) {
      // As this repo's agent: no heartbeat for a run shorter than the interval, the log lines
      // travel with the result, and the result asks for the next run.
      next = http.resultWithLogs(token, runId, lt, logLines, resultLeases && !stop.getAsBoolean());
      next.ifPresent(n -> metrics.leased(n.runId(), System.nanoTime()));
    } else {
      if (beats == 0) {
        beat(runId, lt);
      }
      http.logs(token, runId, lt, logLines);
      http.result(token, runId, lt);
    }
    metrics.finished(runId);
    return next;
  }

  private void beat(long runId, String lt) throws IOException {
    if (batchHeartbeat) {
      http.batchHeartbeat(token, List.of(new HeartbeatBatchRequest.Lease(runId, lt)));
    } else {
      http.heartbeat(token, runId, lt);
    }
  }

  /**
   * The pause after an empty short poll: {@code base} times a factor spread evenly over [0.5, 1.5)
   * ({@code u} in [0, 1)), so the mean poll rate is the configured one. Without it the runners,
   * started together and each sleeping exactly {@code base}, stayed in phase: their empty polls
   * reached runner-service in bursts of 16 every 100 ms and queued behind each other, which no
   * fleet of real agents does (the agent adds jitter to its poll interval for that reason).
   */
  static Duration jittered(Duration base, double u) {
    return Duration.ofNanos(Math.round(base.toNanos() * (0.5 + u)));
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanos() % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
