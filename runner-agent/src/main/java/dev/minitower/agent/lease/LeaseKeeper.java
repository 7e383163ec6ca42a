package dev.minitower.agent.lease;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.AttemptView;
import dev.minitower.model.runner.HeartbeatBatchRequest;
import dev.minitower.model.runner.HeartbeatBatchResponse;
import dev.minitower.model.wire.WireTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every held lease alive. One thread sends heartbeats (per run, or one {@code POST
 * /api/v1/runners/heartbeat} for several due leases when the server offers it); a second thread
 * only watches deadlines, so a hanging heartbeat request can never delay self-fencing.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Duration TICK = Duration.ofMillis(100);

  private final RunnerClient client;
  private final AgentLog log;
  private final Duration minInterval;
  private final Set<LeaseState> leases = ConcurrentHashMap.newKeySet();
  private final Thread beater;
  private final Thread fencer;
  private volatile boolean batchSupported = true;
  private volatile Runnable onUnauthorized = () -> {};
  private volatile boolean closed;

  public LeaseKeeper(RunnerClient client, AgentLog log, Duration minInterval) {
    this.client = client;
    this.log = log;
    this.minInterval = minInterval;
    this.beater = new Thread(this::beatLoop, "lease-heartbeat");
    this.fencer = new Thread(this::fenceLoop, "lease-fence");
    beater.setDaemon(true);
    fencer.setDaemon(true);
    beater.start();
    fencer.start();
  }

  /** Called when a heartbeat is answered 401 (the runner token was rotated or revoked). */
  public void onUnauthorized(Runnable handler) {
    this.onUnauthorized = handler;
  }

  public Duration minInterval() {
    return minInterval;
  }

  public void track(LeaseState lease) {
    lease.onSelfFence(() -> log.warn("lease expired, self-fencing", "run_id", lease.runId()));
    leases.add(lease);
  }

  public void untrack(LeaseState lease) {
    leases.remove(lease);
  }

  /** Applies a start/heartbeat answer: extends the lease, and stops the run if cancelled. */
  public void applyAttempt(LeaseState lease, AttemptView view, Reply reply, long sentAt) {
    lease.renewed(
        WireTime.parseOrNull(view.leaseExpiresAt()), serverDate(reply), sentAt, minInterval);
    if (view.cancelRequested() && lease.stop(StopReason.CANCEL_REQUESTED)) {
      log.info("terminating run", "run_id", lease.runId(), "reason", "cancel requested");
    }
  }

  private void fenceLoop() {
    while (!closed) {
      long now = System.nanoTime();
      for (LeaseState lease : leases) {
        if (!lease.lost() && lease.fenceDeadlinePassed(now)) {
          lease.selfFence();
        }
      }
      sleep(TICK);
    }
  }

  private void beatLoop() {
    while (!closed) {
      long now = System.nanoTime();
      List<LeaseState> due = new ArrayList<>();
      for (LeaseState lease : leases) {
        if (!lease.lostOrExpired() && now - lease.nextBeatAtNanos() >= 0) {
          due.add(lease);
        }
      }
      if (!due.isEmpty() && batchSupported) {
        // Align the others that are nearly due, so one request keeps them all.
        for (LeaseState lease : leases) {
          if (!due.contains(lease) && !lease.lostOrExpired() && lease.beatDueSoon(now)) {
            due.add(lease);
          }
        }
      }
      if (due.size() > 1 && batchSupported) {
        beatBatch(due);
      } else {
        due.forEach(this::beatOne);
      }
      sleep(TICK);
    }
  }

  private Duration requestTimeout() {
    Duration t = minInterval.multipliedBy(5);
    return t.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : t;
  }

  private void beatOne(LeaseState lease) {
    long sentAt = System.nanoTime();
    Reply reply = client.heartbeat(lease.runId(), lease.leaseToken(), requestTimeout());
    handle(lease, reply, sentAt);
  }

  private void handle(LeaseState lease, Reply reply, long sentAt) {
    if (!leases.contains(lease) || lease.lost()) {
      return;
    }
    if (reply.ok()) {
      AttemptView view;
      try {
        view = RunnerClient.JSON.readValue(reply.body(), AttemptView.class);
      } catch (Exception e) {
        log.warn("heartbeat failed", "run_id", lease.runId(), "error", "unreadable answer");
        lease.retryBeatAfter(minInterval);
        return;
      }
      applyAttempt(lease, view, reply, sentAt);
    } else if (reply.leaseLost()) {
      log.warn("stale lease on heartbeat", "run_id", lease.runId(), "status", reply.status());
      lease.lose("heartbeat answered " + reply.status());
    } else {
      log.warn("heartbeat failed", "run_id", lease.runId(), "error", reply.describe());
      if (reply.status() == 401) {
        onUnauthorized.run();
      }
      lease.retryBeatAfter(minInterval);
    }
  }

  private void beatBatch(List<LeaseState> due) {
    List<HeartbeatBatchRequest.Lease> body = new ArrayList<>();
    for (LeaseState lease : due) {
      body.add(new HeartbeatBatchRequest.Lease(lease.runId(), lease.leaseToken()));
    }
    long sentAt = System.nanoTime();
    Reply reply = client.heartbeatBatch(new HeartbeatBatchRequest(body), requestTimeout());
    if (reply.status() == 404 || reply.status() == 405) {
      log.info("batch heartbeat not offered by the server, using per-run heartbeats");
      batchSupported = false;
      due.forEach(this::beatOne);
      return;
    }
    if (!reply.ok()) {
      if (reply.status() == 401) {
        onUnauthorized.run();
      }
      for (LeaseState lease : due) {
        log.warn("heartbeat failed", "run_id", lease.runId(), "error", reply.describe());
        lease.retryBeatAfter(minInterval);
      }
      return;
    }
    HeartbeatBatchResponse answer;
    try {
      answer = RunnerClient.JSON.readValue(reply.body(), HeartbeatBatchResponse.class);
    } catch (Exception e) {
      due.forEach(l -> l.retryBeatAfter(minInterval));
      return;
    }
    for (LeaseState lease : due) {
      HeartbeatBatchResponse.Item item =
          answer.leases() == null
              ? null
              : answer.leases().stream()
                  .filter(i -> i.runId() == lease.runId())
                  .findFirst()
                  .orElse(null);
      if (item == null) {
        lease.retryBeatAfter(minInterval);
      } else if (item.attempt() != null) {
        applyAttempt(lease, item.attempt(), reply, sentAt);
      } else {
        log.warn("stale lease on heartbeat", "run_id", lease.runId(), "error", item.error());
        lease.lose("batch heartbeat answered " + item.error());
      }
    }
  }

  /** The server's {@code Date} header, or null. */
  public static Instant serverDate(Reply reply) {
    return reply
        .headers()
        .firstValue("Date")
        .map(
            d -> {
              try {
                return ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
              } catch (RuntimeException e) {
                return null;
              }
            })
        .orElse(null);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    beater.interrupt();
    fencer.interrupt();
  }
}
