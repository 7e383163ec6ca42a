package dev.minitower.store.runs;

import java.time.Instant;
import java.util.List;

/**
 * Inputs and outcomes of the run state transitions ({@link RunLifecycle}, {@link
 * AttemptTransitions}, {@link RunReaper}).
 */
public final class RunRecords {
  private RunRecords() {}

  /** A run to create; the caller has resolved team, app, version and environment. */
  public record NewRun(
      long teamId,
      long appId,
      long appVersionId,
      long environmentId,
      String environmentName,
      String inputJson,
      int priority,
      int maxRetries,
      boolean retryOnFailure,
      String idempotencyKey,
      String requestHash,
      Long scheduleId) {}

  /**
   * A created run; {@code view} is the new run as the client API reads it ({@link
   * RunQueries#find}), taken from the insert itself, or null for a replayed create (the run it
   * answers is read instead).
   */
  public record CreatedRun(long runId, long runNo, boolean replayed, RunQueries.RunRow view) {
    public CreatedRun(long runId, long runNo, boolean replayed) {
      this(runId, runNo, replayed, null);
    }
  }

  /**
   * What one create of {@link RunLifecycle#createAll} came to: its run, or the refusal it would
   * have met alone (the other creates of the batch are unaffected).
   */
  public record CreateOutcome(CreatedRun run, RunRefusal refusal) {
    public static CreateOutcome of(CreatedRun run) {
      return new CreateOutcome(run, null);
    }

    public static CreateOutcome refused(RunRefusal refusal) {
      return new CreateOutcome(null, refusal);
    }

    /** The run, or the refusal thrown. */
    public CreatedRun orThrow() {
      if (refusal != null) {
        throw refusal;
      }
      return run;
    }
  }

  /** The runner asking for work: its scope decides which runs it may lease. */
  public record RunnerRef(long runnerId, Long teamId, String environment, int maxConcurrent) {}

  /** What a runner presents on every call after the lease. */
  public record LeaseRef(long runId, long runnerId, String leaseTokenHash) {}

  /** A granted lease with everything the runner needs to execute. */
  public record LeaseGrant(
      long runId,
      long runNo,
      long teamId,
      String teamSlug,
      long appId,
      String appSlug,
      int versionNo,
      String entrypoint,
      Integer timeoutSeconds,
      String inputJson,
      String artifactSha256,
      String importPathsJson,
      long attemptId,
      int attemptNo,
      Instant leaseExpiresAt,
      String environment,
      long eventSeq,
      int retryCount,
      boolean started,
      List<String> secretNames) {}

  /** The state of an attempt as start and heartbeat report it. */
  public record AttemptState(
      long runId,
      long attemptId,
      int attemptNo,
      String status,
      Instant leaseExpiresAt,
      boolean cancelRequested,
      String runStatus) {}

  /**
   * A run that reached a terminal status (or was requeued after a failure), with what the metrics
   * need. {@code startedAt} is the attempt's start (null when it never started); {@code queuedAt}
   * is the queue time of that attempt, so queue wait is never negative.
   */
  public record RunEnded(
      long runId,
      String teamSlug,
      String appSlug,
      String status,
      Instant queuedAt,
      Instant startedAt,
      Instant finishedAt,
      boolean requeued) {}

  /** How the reaper handled one expired attempt. */
  public enum ReapOutcome {
    RETRIED,
    DEAD,
    CANCELLED,
    SKIPPED
  }

  /** A reaper outcome with the run it concerned, for logs and metrics. */
  public record Reaped(ReapOutcome outcome, long runId, String teamSlug, String appSlug) {}

  /** What a runner reports at the end of an attempt. */
  public record RunResult(String status, Integer exitCode, String errorMessage) {}
}
