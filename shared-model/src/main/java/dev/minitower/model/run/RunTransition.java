package dev.minitower.model.run;

import static dev.minitower.model.run.RunStatus.CANCELLED;
import static dev.minitower.model.run.RunStatus.CANCELLING;
import static dev.minitower.model.run.RunStatus.COMPLETED;
import static dev.minitower.model.run.RunStatus.DEAD;
import static dev.minitower.model.run.RunStatus.FAILED;
import static dev.minitower.model.run.RunStatus.LEASED;
import static dev.minitower.model.run.RunStatus.QUEUED;
import static dev.minitower.model.run.RunStatus.RUNNING;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every way a run's status may change, with the statuses it may start from and the one it reaches.
 * The SQL of each transition guards on exactly {@link #from()}; this table is the single written
 * source for docs/run-state-machine.md and for the tests that check both agree.
 */
public enum RunTransition {
  /** Runner lease claims a queued run. */
  LEASE(EnumSet.of(QUEUED), LEASED),
  /** Runner starts the leased run (a cancelling run is not overwritten). */
  START(EnumSet.of(LEASED, RUNNING), RUNNING),
  /** Runner reports success. */
  COMPLETE(EnumSet.of(LEASED, RUNNING), COMPLETED),
  /** Runner reports failure and no retry-on-failure remains. */
  FAIL(EnumSet.of(LEASED, RUNNING), FAILED),
  /** Runner reports failure of a run that retries on failure: back to the queue after a backoff. */
  RETRY_AFTER_FAILURE(EnumSet.of(LEASED, RUNNING), QUEUED),
  /** Runner confirms it stopped the workload after a cancel (or cancelled on its own). */
  CONFIRM_CANCEL(EnumSet.of(LEASED, RUNNING, CANCELLING), CANCELLED),
  /** API cancel of a queued run ends it at once. */
  CANCEL_QUEUED(EnumSet.of(QUEUED), CANCELLED),
  /** API cancel of a run a runner holds: the runner learns it on its next heartbeat. */
  REQUEST_CANCEL(EnumSet.of(LEASED, RUNNING, CANCELLING), CANCELLING),
  /** Reaper: lease expired, retries left. */
  REQUEUE_EXPIRED(EnumSet.of(LEASED, RUNNING), QUEUED),
  /** Reaper: lease expired, no retries left. */
  EXPIRE_DEAD(EnumSet.of(LEASED, RUNNING), DEAD),
  /** Reaper: lease expired on a run whose cancel was requested. */
  EXPIRE_CANCELLED(EnumSet.of(LEASED, RUNNING, CANCELLING), CANCELLED);

  private final Set<RunStatus> from;
  private final RunStatus to;

  RunTransition(Set<RunStatus> from, RunStatus to) {
    this.from = from;
    this.to = to;
  }

  public Set<RunStatus> from() {
    return EnumSet.copyOf(from);
  }

  public RunStatus to() {
    return to;
  }

  public boolean allowedFrom(RunStatus status) {
    return from.contains(status);
  }

  /** True when some transition leads from {@code from} to {@code to}. */
  public static boolean isAllowed(RunStatus from, RunStatus to) {
    for (RunTransition t : values()) {
      if (t.to == to && t.from.contains(from)) {
        return true;
      }
    }
    return false;
  }
}
