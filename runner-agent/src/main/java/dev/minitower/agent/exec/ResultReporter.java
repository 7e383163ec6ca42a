package dev.minitower.agent.exec;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.lease.LeaseKeeper;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.lease.StopReason;
import dev.minitower.agent.logs.LogShipper;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.runner.ResultResponse;
import dev.minitower.model.wire.WireText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reports a run's outcome: the last log lines (with the result when the server started the run with
 * the lease, else flushed first), then the result, retried until acknowledged (200, also the
 * idempotent repeat) or the lease is gone. A lost lease reports nothing.
 */
final class ResultReporter {
  private final RunnerClient client;
  private final AgentLog log;
  private volatile boolean nextOffered = true;

  ResultReporter(RunnerClient client, AgentLog log) {
    this.client = client;
    this.log = log;
  }

  /**
   * Ships the last lines and reports {@code outcome}; null outcome = lease lost. With {@code next},
   * the result also asks for the runner's next run (see {@link #submit}).
   */
  NextLeases finish(LeaseState state, LogShipper shipper, RunOutcome outcome, BooleanSupplier next)
      throws InterruptedException {
    if (outcome == null || state.lostOrExpired()) {
      log.warn("run abandoned: lease lost", "run_id", state.runId(), "detail", state.lostDetail());
      return NextLeases.NONE;
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
      return NextLeases.NONE;
    }
    return submit(state, outcome, tail == null ? List.of() : tail, next);
  }

  /**
   * Retries until acknowledged (200, also the idempotent repeat) or the lease is gone. When {@code
   * next} says so as the result is sent (the agent is not draining, and the server offers the batch
   * lease), the result asks for one more run, granted already started in the result's own
   * transaction: the slot goes on to it without a lease call. Only the first send asks: a resend
   * follows a lost or failed answer (a repeat of a stored result leases nothing, and a claim that
   * failed must not keep the result from being stored). A server of this repo from before {@code
   * next} refuses the field with 400: the result is sent again without it, and never asks again.
   */
  NextLeases submit(LeaseState state, RunOutcome outcome, List<LogEntry> tail, BooleanSupplier next)
      throws InterruptedException {
    // The message (and the lines) may quote a command's output: the result refuses NUL and lone
    // surrogates, which a log batch would store as U+FFFD.
    List<LogEntry> logs;
    if (!tail.isEmpty()) {
      logs = new ArrayList<>(tail.size());
      for (LogEntry e : tail) {
        logs.add(new LogEntry(e.seq(), e.stream(), WireText.clean(e.line()), e.loggedAt()));
      }
    } else {
      logs = null;
    }
    String error = WireText.clean(outcome.errorMessage());
    long[] sentAt = new long[1];
    boolean[] asked = new boolean[1];
    int[] sends = new int[1];
    Reply reply =
        LeaseRetry.untilAnswered(
            state,
            () -> {
              asked[0] = sends[0]++ == 0 && nextOffered && next.getAsBoolean();
              sentAt[0] = System.nanoTime();
              Reply r =
                  client.result(
                      state.runId(), state.leaseToken(), body(outcome, error, logs, asked[0]));
              if (asked[0] && r.status() == 400 && r.body().contains("unknown field 'next'")) {
                nextOffered = false;
                asked[0] = false;
                log.info("next lease with the result not offered by the server, not asked again");
                sentAt[0] = System.nanoTime();
                r =
                    client.result(
                        state.runId(), state.leaseToken(), body(outcome, error, logs, false));
              }
              return r;
            },
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
      return asked[0] ? nextLeases(state, reply, sentAt[0]) : NextLeases.NONE;
    } else if (reply.leaseLost()) {
      log.warn("stale lease on result submit", "run_id", state.runId(), "status", reply.status());
    } else {
      log.error("result rejected", "run_id", state.runId(), "error", reply.describe());
    }
    return NextLeases.NONE;
  }

  private static ResultRequest body(
      RunOutcome outcome, String error, List<LogEntry> logs, boolean next) {
    return new ResultRequest(
        outcome.status(),
        outcome.exitCode(),
        error,
        logs,
        next ? new BatchLeaseRequest(1, true) : null);
  }

  private NextLeases nextLeases(LeaseState state, Reply reply, long sentAt) {
    try {
      ResultResponse answer = RunnerClient.JSON.readValue(reply.body(), ResultResponse.class);
      if (answer.leases() == null || answer.leases().isEmpty()) {
        return NextLeases.NONE;
      }
      return new NextLeases(answer.leases(), LeaseKeeper.serverDate(reply), sentAt);
    } catch (IOException | RuntimeException e) {
      // Any lease in an answer that cannot be read expires and is retried by the server.
      log.warn("unreadable result answer", "run_id", state.runId(), "error", e);
      return NextLeases.NONE;
    }
  }
}
