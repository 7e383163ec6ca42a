package dev.minitower.agent.exec;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.lease.StopReason;
import dev.minitower.agent.logs.LogShipper;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.wire.WireText;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports a run's outcome: the last log lines (with the result when the server started the run with
 * the lease, else flushed first), then the result, retried until acknowledged (200, also the
 * idempotent repeat) or the lease is gone. A lost lease reports nothing.
 */
final class ResultReporter {
  private final RunnerClient client;
  private final AgentLog log;

  ResultReporter(RunnerClient client, AgentLog log) {
    this.client = client;
    this.log = log;
  }

  /** Ships the last lines and reports {@code outcome}; null outcome = lease lost. */
  void finish(LeaseState state, LogShipper shipper, RunOutcome outcome)
      throws InterruptedException {
    if (outcome == null || state.lostOrExpired()) {
      log.warn("run abandoned: lease lost", "run_id", state.runId(), "detail", state.lostDetail());
      return;
    }
    if (outcome.logLine() != null) {
      shipper.stderr(outcome.logLine());
    }
    // A server that started the run with the lease also takes the last lines with the result.
    List<LogEntry> tail;
    if (Boolean.TRUE.equals(state.lease().started())) {
      tail = shipper.closeForResult(state.ttl());
    } else {
      tail = shipper.flushAndClose(state.ttl()) ? List.of() : null;
    }
    if (tail == null && state.lost()) {
      log.warn("stale lease on final log flush", "run_id", state.runId());
      return;
    }
    submit(state, outcome, tail == null ? List.of() : tail);
  }

  /** Retries until acknowledged (200, also the idempotent repeat) or the lease is gone. */
  void submit(LeaseState state, RunOutcome outcome, List<LogEntry> tail)
      throws InterruptedException {
    // The message (and the lines) may quote a command's output: the result refuses NUL and lone
    // surrogates, which a log batch would store as U+FFFD.
    List<LogEntry> logs = null;
    if (!tail.isEmpty()) {
      logs = new ArrayList<>(tail.size());
      for (LogEntry e : tail) {
        logs.add(new LogEntry(e.seq(), e.stream(), WireText.clean(e.line()), e.loggedAt()));
      }
    }
    ResultRequest body =
        new ResultRequest(
            outcome.status(), outcome.exitCode(), WireText.clean(outcome.errorMessage()), logs);
    Reply reply =
        LeaseRetry.untilAnswered(
            state,
            () -> client.result(state.runId(), state.leaseToken(), body),
            failed ->
                log.warn(
                    "result submit failed, retrying",
                    "run_id",
                    state.runId(),
                    "error",
                    failed.describe()));
    if (reply == null) {
      log.warn("result not delivered: lease lost", "run_id", state.runId());
    } else if (reply.ok()) {
      String msg =
          switch (outcome.status()) {
            case "completed" -> "run completed";
            case "cancelled" -> "run cancelled";
            default -> state.stopReason() == StopReason.TIMEOUT ? "run timed out" : "run failed";
          };
      log.info(
          msg,
          "run_id",
          state.runId(),
          "exit_code",
          outcome.exitCode(),
          "error",
          outcome.errorMessage());
    } else if (reply.leaseLost()) {
      log.warn("stale lease on result submit", "run_id", state.runId(), "status", reply.status());
    } else {
      log.error("result rejected", "run_id", state.runId(), "error", reply.describe());
    }
  }
}
