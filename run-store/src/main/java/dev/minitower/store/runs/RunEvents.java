package dev.minitower.store.runs;

import dev.minitower.model.event.RunEventData;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRows.RunRow;

/**
 * The lifecycle event data of each transition, built from the run as it is after the change. One
 * factory per kind of change, so no transition counts the fifteen fields of {@link RunEventData}.
 */
final class RunEvents {
  private RunEvents() {}

  /** {@code run.created}. */
  static RunEventData created(RunRow run) {
    return of(run, null, null, null, null, null, null);
  }

  /** {@code run.cancelled} of a queued run, by the API. */
  static RunEventData cancelledWhileQueued(RunRow run) {
    return of(run, RunStatus.QUEUED, null, null, null, null, "cancelled");
  }

  /** {@code run.cancel_requested} of a run a runner holds. */
  static RunEventData cancelRequested(RunRow run, RunStatus previous) {
    return of(run, previous, null, null, null, null, "cancel requested");
  }

  /** {@code run.started} by the runner of the attempt. */
  static RunEventData started(RunRow run, RunStatus previous, int attemptNo, long runnerId) {
    return of(run, previous, attemptNo, runnerId, null, null, null);
  }

  /**
   * The runner's result: {@code run.completed|failed|cancelled}, or {@code run.requeued} with the
   * retry as the reason.
   */
  static RunEventData resultReported(
      RunRow run,
      RunStatus previous,
      int attemptNo,
      long runnerId,
      Integer exitCode,
      String error,
      String retryReason) {
    return of(run, previous, attemptNo, runnerId, exitCode, error, retryReason);
  }

  /** The reaper's end of an expired lease: cancelled, requeued or dead. */
  static RunEventData leaseExpired(RunRow run, RunStatus previous, int attemptNo, long runnerId) {
    return of(run, previous, attemptNo, runnerId, null, null, "lease expired");
  }

  /** {@code run.leased} (or {@code run.started} of a fused lease) of a claimed run. */
  static RunEventData granted(LeaseGrant g, long runnerId, RunStatus status, RunStatus previous) {
    return new RunEventData(
        g.runId(),
        g.runNo(),
        g.teamId(),
        g.teamSlug(),
        g.appId(),
        g.appSlug(),
        g.environment(),
        status.wire(),
        previous.wire(),
        g.retryCount(),
        g.attemptNo(),
        runnerId,
        null,
        null,
        null);
  }

  private static RunEventData of(
      RunRow run,
      RunStatus previous,
      Integer attemptNo,
      Long runnerId,
      Integer exitCode,
      String error,
      String reason) {
    return new RunEventData(
        run.id(),
        run.runNo(),
        run.teamId(),
        run.teamSlug(),
        run.appId(),
        run.appSlug(),
        run.environment(),
        run.status().wire(),
        previous == null ? null : previous.wire(),
        run.retryCount(),
        attemptNo,
        runnerId,
        exitCode,
        error,
        reason);
  }
}
