package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of runs, attempts and logs for the client API. Every query is scoped by team; writes go
 * through the run transitions of {@code run-store}.
 */
@ApplicationScoped
public class RunQueryStore {

  /** A run with its app slug and version number; {@code input} is JSON text or null. */
  public record RunRow(
      long id,
      long appId,
      String appSlug,
      long runNo,
      int versionNo,
      String status,
      String input,
      int priority,
      int maxRetries,
      int retryCount,
      boolean cancelRequested,
      OffsetDateTime queuedAt,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      String environment,
      boolean retryOnFailure,
      String requestHash) {}

  public record Summary(long total, long active, long queued, long terminal) {}

  public record LogLine(
      int attemptNo, long seq, String stream, String line, OffsetDateTime loggedAt) {}

  public record Attempt(
      int attemptNo,
      String status,
      String runnerName,
      Integer exitCode,
      String errorMessage,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      List<String> secretNames) {}

  private static final String SELECT =
      "SELECT r.id, r.app_id, a.slug, r.run_no, v.version_no, r.status, r.input::text,"
          + " r.priority, r.max_retries, r.retry_count, r.cancel_requested, r.queued_at,"
          + " r.started_at, r.finished_at, r.environment_name, r.retry_on_failure, r.request_hash"
          + " FROM runs r JOIN apps a ON a.id = r.app_id"
          + " JOIN app_versions v ON v.id = r.app_version_id";

  /** The original's status rank for the team-wide list. */
  private static final String STATUS_RANK =
      "CASE r.status WHEN 'running' THEN 0 WHEN 'leased' THEN 1 WHEN 'cancelling' THEN 2"
          + " WHEN 'queued' THEN 3 WHEN 'completed' THEN 4 WHEN 'failed' THEN 5"
          + " WHEN 'cancelled' THEN 6 ELSE 7 END";

  private final Jdbc jdbc;

  public RunQueryStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<RunRow> find(long teamId, long runId) {
    return jdbc.one(
        SELECT + " WHERE r.team_id = ? AND r.id = ?", RunQueryStore::row, teamId, runId);
  }

  public Optional<RunRow> findByIdempotencyKey(long teamId, long appId, String key) {
    return jdbc.one(
        SELECT + " WHERE r.team_id = ? AND r.app_id = ? AND r.idempotency_key = ?",
        RunQueryStore::row,
        teamId,
        appId,
        key);
  }

  public List<RunRow> listForApp(long teamId, long appId, int limit, long offset) {
    return jdbc.list(
        SELECT + " WHERE r.team_id = ? AND r.app_id = ? ORDER BY r.run_no DESC LIMIT ? OFFSET ?",
        RunQueryStore::row,
        teamId,
        appId,
        limit,
        offset);
  }

  /** Team-wide list: status rank, newest queued first, then id for a stable page order. */
  public List<RunRow> listForTeam(
      long teamId, String status, String appSlug, int limit, long offset) {
    StringBuilder sql = new StringBuilder(SELECT).append(" WHERE r.team_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(teamId);
    if (status != null) {
      sql.append(" AND r.status = ?");
      params.add(status);
    }
    if (appSlug != null) {
      sql.append(" AND a.slug = ?");
      params.add(appSlug);
    }
    sql.append(" ORDER BY ").append(STATUS_RANK).append(", r.queued_at DESC, r.id DESC");
    sql.append(" LIMIT ? OFFSET ?");
    params.add(limit);
    params.add(offset);
    return jdbc.list(sql.toString(), RunQueryStore::row, params.toArray());
  }

  public Summary summary(long teamId) {
    return jdbc.one(
            "SELECT count(*),"
                + " count(*) FILTER (WHERE status IN ('leased', 'running', 'cancelling')),"
                + " count(*) FILTER (WHERE status = 'queued'),"
                + " count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled', 'dead'))"
                + " FROM runs WHERE team_id = ?",
            rs -> new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
            teamId)
        .orElseThrow();
  }

  /** Highest attempt number of the run, 0 when it was never leased. */
  public int latestAttemptNo(long runId) {
    return jdbc.one(
            "SELECT COALESCE(MAX(attempt_no), 0) FROM run_attempts WHERE run_id = ?",
            rs -> rs.getInt(1),
            runId)
        .orElse(0);
  }

  /** Lines after the cursor (attempt, seq), in (attempt_no, seq) order, at most {@code limit}. */
  public List<LogLine> logsAfter(long runId, int afterAttempt, long afterSeq, int limit) {
    return jdbc.list(
        "SELECT attempt_no, seq, stream, line, logged_at FROM run_logs"
            + " WHERE run_id = ? AND (attempt_no, seq) > (?, ?)"
            + " ORDER BY attempt_no, seq LIMIT ?",
        rs ->
            new LogLine(
                rs.getInt(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getObject(5, OffsetDateTime.class)),
        runId,
        afterAttempt,
        afterSeq,
        limit);
  }

  public List<Attempt> attempts(long runId) {
    return jdbc.list(
        "SELECT a.attempt_no, a.status, rn.name, a.exit_code, a.error_message, a.started_at,"
            + " a.finished_at, s.secret_names FROM run_attempts a"
            + " JOIN runners rn ON rn.id = a.runner_id"
            + " LEFT JOIN run_attempt_secrets s ON s.attempt_id = a.id"
            + " WHERE a.run_id = ? ORDER BY a.attempt_no",
        rs -> {
          int exit = rs.getInt(4);
          Integer exitCode = rs.wasNull() ? null : exit;
          return new Attempt(
              rs.getInt(1),
              rs.getString(2),
              rs.getString(3),
              exitCode,
              rs.getString(5),
              rs.getObject(6, OffsetDateTime.class),
              rs.getObject(7, OffsetDateTime.class),
              secretNames(rs.getArray(8)));
        },
        runId);
  }

  private static List<String> secretNames(java.sql.Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }

  private static RunRow row(ResultSet rs) throws SQLException {
    return new RunRow(
        rs.getLong(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getInt(5),
        rs.getString(6),
        rs.getString(7),
        rs.getInt(8),
        rs.getInt(9),
        rs.getInt(10),
        rs.getBoolean(11),
        rs.getObject(12, OffsetDateTime.class),
        rs.getObject(13, OffsetDateTime.class),
        rs.getObject(14, OffsetDateTime.class),
        rs.getString(15),
        rs.getBoolean(16),
        rs.getString(17));
  }
}
