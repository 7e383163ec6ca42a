package dev.minitower.agent.lease;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.CancelWatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cancel push ({@code POST /api/v1/runners/cancels}): while the agent holds runs, one long poll
 * stays open and answers as soon as a cancel of one of them commits, so the workload is stopped
 * within milliseconds instead of at the next heartbeat (which still carries the flag, as the
 * original's agents expect). A server without the endpoint (404/405) turns it off.
 */
public final class CancelWatcher implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(25);
  private static final Duration IDLE = Duration.ofMillis(100);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

  private final RunnerClient client;
  private final AgentLog log;
  private final Supplier<Set<LeaseState>> active;
  private final Thread thread;
  private volatile boolean closed;

  public CancelWatcher(RunnerClient client, AgentLog log, Supplier<Set<LeaseState>> active) {
    this.client = client;
    this.log = log;
    this.active = active;
    this.thread = new Thread(this::loop, "cancel-watch");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    while (!closed) {
      Set<LeaseState> held = active.get();
      if (held.isEmpty() || client.runnerToken() == null) {
        sleep(IDLE);
        continue;
      }
      List<Long> stopping = new ArrayList<>();
      for (LeaseState lease : held) {
        if (lease.stopRequested()) {
          stopping.add(lease.runId());
        }
      }
      Reply reply = client.cancels(stopping, WAIT);
      if (reply.status() == 404 || reply.status() == 405) {
        log.info("cancel push not offered by the server: cancels arrive with heartbeats");
        return;
      }
      if (!reply.ok()) {
        if (!closed) {
          sleep(ERROR_PAUSE);
        }
        continue;
      }
      List<Long> runIds;
      try {
        runIds = RunnerClient.JSON.readValue(reply.body(), CancelWatchResponse.class).runIds();
      } catch (Exception e) {
        sleep(ERROR_PAUSE);
        continue;
      }
      if (runIds == null) {
        continue;
      }
      for (LeaseState lease : active.get()) {
        if (runIds.contains(lease.runId()) && lease.stop(StopReason.CANCEL_REQUESTED)) {
          log.info(
              "terminating run", "run_id", lease.runId(), "reason", "cancel requested (pushed)");
        }
      }
    }
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
    thread.interrupt();
  }
}
