package dev.minitower.agent.logs;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.LogBatch;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.wire.WireTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Ships one attempt's log lines. Every line gets the next {@code seq} (one counter for stdout,
 * stderr and setup messages, starting at 1) when it is accepted, so the order is the order of
 * arrival. A batch is sent when it holds {@link LogEntry#MAX_BATCH} lines or about 1 MiB, or {@link
 * #LINGER} after its first line. A failed send is retried with backoff with the very same entries,
 * so the server's first-write-wins on {@code (attempt, seq)} makes retries harmless; 409 or 410
 * means the lease is lost and shipping stops. If the server stays unreachable the buffer is
 * bounded: further lines are counted and replaced by one marker line once there is room again.
 */
public final class LogShipper implements AutoCloseable {
  public static final Duration LINGER = Duration.ofMillis(250);
  static final int MAX_BATCH_BYTES = 1024 * 1024;
  static final int MAX_BUFFERED_LINES = 20_000;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final RunnerClient client;
  private final LeaseState lease;
  private final AgentLog log;
  private final ArrayDeque<LogEntry> pending = new ArrayDeque<>();
  private final Thread sender;
  private long nextSeq = 1;
  private long dropped;
  private long firstPendingAtNanos;
  private boolean closing;
  private boolean finished;
  private boolean sending;
  private boolean tailRequested;

  public LogShipper(RunnerClient client, LeaseState lease, AgentLog log) {
    this.client = client;
    this.lease = lease;
    this.log = log;
    this.sender = new Thread(this::sendLoop, "logs-run-" + lease.runId());
    sender.setDaemon(true);
    sender.start();
  }

  public void stdout(String line) {
    add("stdout", line);
  }

  /** Workload stderr and the agent's setup/status messages (the UI shows them as SETUP). */
  public void stderr(String line) {
    add("stderr", line);
  }

  private void add(String stream, String line) {
    String capped = LogLines.cap(line, false);
    synchronized (this) {
      if (closing && finished) {
        return;
      }
      if (pending.size() >= MAX_BUFFERED_LINES) {
        dropped++;
        return;
      }
      if (dropped > 0) {
        pending.add(
            entry("stderr", "[minitower] " + dropped + " log lines dropped: log buffer full"));
        dropped = 0;
      }
      if (pending.isEmpty()) {
        firstPendingAtNanos = System.nanoTime();
      }
      pending.add(entry(stream, capped));
      notifyAll();
    }
  }

  private LogEntry entry(String stream, String line) {
    return new LogEntry(nextSeq++, stream, line, WireTime.format(Instant.now()));
  }

  private void sendLoop() {
    while (true) {
      List<LogEntry> batch;
      synchronized (this) {
        try {
          while (!ready()) {
            if (finished) {
              return;
            }
            if (closing && pending.isEmpty()) {
              finished = true;
              notifyAll();
              return;
            }
            if (pending.isEmpty()) {
              wait();
            } else {
              long waitNanos = firstPendingAtNanos + LINGER.toNanos() - System.nanoTime();
              if (waitNanos > 0) {
                wait(Math.max(1, waitNanos / 1_000_000));
              }
            }
          }
        } catch (InterruptedException e) {
          finished = true;
          notifyAll();
          return;
        }
        batch = peekBatch();
        sending = true;
      }
      if (!sendWithRetry(batch)) {
        synchronized (this) {
          pending.clear();
          finished = true;
          closing = true;
          sending = false;
          notifyAll();
        }
        return;
      }
      synchronized (this) {
        sending = false;
        notifyAll();
        for (int i = 0; i < batch.size(); i++) {
          pending.poll();
        }
        if (!pending.isEmpty()) {
          firstPendingAtNanos = System.nanoTime() - LINGER.toNanos();
        }
      }
    }
  }

  private boolean ready() {
    if (pending.isEmpty() || finished || (tailRequested && !closing)) {
      return false;
    }
    return closing
        || pending.size() >= LogEntry.MAX_BATCH
        || System.nanoTime() - firstPendingAtNanos >= LINGER.toNanos();
  }

  private List<LogEntry> peekBatch() {
    List<LogEntry> batch = new ArrayList<>();
    int bytes = 0;
    for (LogEntry e : pending) {
      int size = LogLines.utf8Length(e.line()) + 96;
      if (batch.size() == LogEntry.MAX_BATCH
          || (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES)) {
        break;
      }
      batch.add(e);
      bytes += size;
    }
    return batch;
  }

  /** True when the batch is delivered (or rejected as malformed); false when shipping must stop. */
  private boolean sendWithRetry(List<LogEntry> batch) {
    Duration backoff = Duration.ofMillis(200);
    while (true) {
      if (lease.lostOrExpired()) {
        return false;
      }
      Reply reply = client.logs(lease.runId(), lease.leaseToken(), new LogBatch(batch));
      if (reply.ok()) {
        return true;
      }
      if (reply.leaseLost()) {
        log.warn("stale lease on log flush", "run_id", lease.runId(), "status", reply.status());
        lease.lose("log upload answered " + reply.status());
        return false;
      }
      if (!reply.transientFailure()) {
        log.error(
            "log batch rejected",
            "run_id",
            lease.runId(),
            "first_seq",
            batch.get(0).seq(),
            "error",
            reply.describe());
        return true;
      }
      log.warn("log flush failed, retrying", "run_id", lease.runId(), "error", reply.describe());
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
    }
  }

  /**
   * Sends everything still buffered and waits for it, until {@code timeout}; afterwards lines are
   * no longer accepted. Returns true when every line was delivered.
   */
  public boolean flushAndClose(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      closing = true;
      notifyAll();
      while (!finished) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return finished && pending.isEmpty() && !lease.lost();
    }
  }

  /**
   * Ends shipping for a result that carries the last lines: waits for a batch in flight, then hands
   * over what is still buffered when it fits one batch (the caller sends it with the result, one
   * call and one transaction instead of two); otherwise ships it all first, as {@link
   * #flushAndClose}, and hands over nothing. Null when the lines could not be delivered.
   */
  public List<LogEntry> closeForResult(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      tailRequested = true;
      notifyAll();
      while (sending && !finished) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      if (finished) {
        return pending.isEmpty() && !lease.lost() ? List.of() : null;
      }
      if (dropped == 0 && peekBatch().size() == pending.size()) {
        List<LogEntry> tail = new ArrayList<>(pending);
        pending.clear();
        closing = true;
        finished = true;
        notifyAll();
        return tail;
      }
    }
    return flushAndClose(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
        ? List.of()
        : null;
  }

  @Override
  public void close() {
    sender.interrupt();
  }
}
