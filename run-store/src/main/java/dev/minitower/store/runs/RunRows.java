package dev.minitower.store.runs;

import dev.minitower.model.run.AttemptStatus;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The rows the transitions read with their locks, and the statements every caller shares. */
final class RunRows {
  private RunRows() {}

  /** The columns of a run a transition needs, read with its lock. */
  record RunRow(
      long id,
      long runNo,
      long teamId,
      String teamSlug,
      long appId,
      String appSlug,
      String environment,
      RunStatus status,
      int retryCount,
      int maxRetries,
      boolean retryOnFailure,
      boolean cancelRequested,
      Instant queuedAt,
      Instant finishedAt,
      long eventSeq) {

    static RunRow map(ResultSet rs) throws SQLException {
      return new RunRow(
          rs.getLong("id"),
          rs.getLong("run_no"),
          rs.getLong("team_id"),
          rs.getString("team_slug"),
          rs.getLong("app_id"),
          rs.getString("app_slug"),
          rs.getString("environment_name"),
          RunStatus.fromWire(rs.getString("status")),
          rs.getInt("retry_count"),
          rs.getInt("max_retries"),
          rs.getBoolean("retry_on_failure"),
          rs.getBoolean("cancel_requested"),
          Jdbc.instant(rs, "queued_at"),
          Jdbc.instant(rs, "finished_at"),
          rs.getLong("event_seq"));
    }
  }

  /** An attempt row with whether its lease is still unexpired by database time. */
  record AttemptRow(
      long id,
      int attemptNo,
      long runnerId,
      AttemptStatus status,
      Integer exitCode,
      Instant queuedAt,
      Instant startedAt,
      boolean unexpired) {

    static AttemptRow map(ResultSet rs) throws SQLException {
      return new AttemptRow(
          rs.getLong("id"),
          rs.getInt("attempt_no"),
          rs.getLong("runner_id"),
          AttemptStatus.fromWire(rs.getString("status")),
          Jdbc.intOrNull(rs, "exit_code"),
          Jdbc.instant(rs, "queued_at"),
          Jdbc.instant(rs, "started_at"),
          rs.getBoolean("unexpired"));
    }
  }

  /** Wakes waiting leasers of {@code environment} when the transaction commits. */
  static void notifyQueued(Connection c, String environment) throws SQLException {
    Jdbc.queryOne(c, RunSql.NOTIFY_QUEUED, rs -> true, environment);
  }

  /** Locks the run a runner call names; gone when there is none. */
  static RunRow lockRun(Connection c, long runId) throws SQLException {
    return Jdbc.queryOne(c, RunSql.LOCK_RUN, RunRow::map, runId).orElseThrow(RunRefusal::gone);
  }
}
