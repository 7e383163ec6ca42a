package dev.minitower.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Per-endpoint latencies, the created→leased/started timelines and error counts of a scenario. */
public final class Metrics {
  private final Map<String, Latency> endpoints = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  final Latency createdToLeased = new Latency();
  final Latency createdToStarted = new Latency();
  private final Map<Long, long[]> timelines = new ConcurrentHashMap<>();
  final AtomicLong created = new AtomicLong();
  final AtomicLong completed = new AtomicLong();

  public Latency endpoint(String name) {
    return endpoints.computeIfAbsent(name, k -> new Latency());
  }

  public void error(String what) {
    errors.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  public Map<String, Latency.Summary> endpointSummaries() {
    Map<String, Latency.Summary> out = new TreeMap<>();
    endpoints.forEach((k, v) -> out.put(k, v.summary()));
    return out;
  }

  public Map<String, Long> errorCounts() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public long errorTotal() {
    return errors.values().stream().mapToLong(AtomicLong::get).sum();
  }

  // Timeline slots: 0 = create sent, 1 = leased, 2 = started (System.nanoTime; 0 = unknown).

  /** The producer learned the run id of a create sent at {@code sentNanos}. */
  public void created(long runId, long sentNanos) {
    created.incrementAndGet();
    mark(runId, 0, sentNanos);
  }

  public void leased(long runId, long nanos) {
    mark(runId, 1, nanos);
  }

  public void started(long runId, long nanos) {
    mark(runId, 2, nanos);
  }

  /** A run finished: its timeline is complete (or will never be), drop it. */
  public void finished(long runId) {
    completed.incrementAndGet();
  }

  private void mark(long runId, int slot, long nanos) {
    long[] t = timelines.computeIfAbsent(runId, k -> new long[3]);
    boolean done;
    synchronized (t) {
      t[slot] = nanos;
      if (t[0] == 0) {
        return; // the runner was faster than the producer's bookkeeping; recorded later
      }
      if (slot == 0) {
        if (t[1] != 0) {
          createdToLeased.recordNanos(t[1] - t[0]);
        }
        if (t[2] != 0) {
          createdToStarted.recordNanos(t[2] - t[0]);
        }
      } else if (slot == 1) {
        createdToLeased.recordNanos(t[1] - t[0]);
      } else {
        createdToStarted.recordNanos(t[2] - t[0]);
      }
      done = t[0] != 0 && t[1] != 0 && t[2] != 0;
    }
    if (done) {
      timelines.remove(runId);
    }
  }
}
