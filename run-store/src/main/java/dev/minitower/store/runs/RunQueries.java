package dev.minitower.store.runs;

import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.Reads;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reads of runs, attempts and logs: the client API's run views (every query scoped by team, or
 * by a run the caller already found in its team), a run's artifact for its runner, and the schedule
 * overlap check. Each read runs on the caller's transaction when there is one.
 */
@ApplicationScoped
public class RunQueries {

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

  /**
   * The artifact of a run's version: {@code importPaths} is the stored JSON text, {@code
   * importPathCount} its length.
   */
  public record RunArtifact(
      String sha256,
      long size,
      String entrypoint,
      Integer timeoutSeconds,
      String importPaths,
      int importPathCount) {}

  private static final String SELECT =
      "SELECT r.id, r.app_id, a.slug AS app_slug, r.run_no, v.version_no, r.status,"
          + " r.input::text AS input_text,"
          + " r.priority, r.max_retries, r.retry_count, r.cancel_requested, r.queued_at,"
          + " r.started_at, r.finished_at, r.environment_name, r.retry_on_failure, r.request_hash"
          + " FROM runs r JOIN apps a ON a.id = r.app_id"
          + " JOIN app_versions v ON v.id = r.app_version_id";

  /** One run of a team as {@link RunRow} (parameters: team id, run id). */
  public static final String FIND = SELECT + " WHERE r.team_id = ? AND r.id = ?";

  private static final String FIND_BY_IDEMPOTENCY_KEY =
      SELECT + " WHERE r.team_id = ? AND r.app_id = ? AND r.idempotency_key = ?";

  static final String LIST_FOR_APP =
      SELECT + " WHERE r.team_id = ? AND r.app_id = ? ORDER BY r.run_no DESC LIMIT ? OFFSET ?";

  /** The original's status rank for the team-wide list. */
  private static final String STATUS_RANK =
      "CASE r.status WHEN 'running' THEN 0 WHEN 'leased' THEN 1 WHEN 'cancelling' THEN 2"
          + " WHEN 'queued' THEN 3 WHEN 'completed' THEN 4 WHEN 'failed' THEN 5"
          + " WHEN 'cancelled' THEN 6 ELSE 7 END";

  private static final String SUMMARY =
      "SELECT count(*),"
          + " count(*) FILTER (WHERE status IN ('leased', 'running', 'cancelling')),"
          + " count(*) FILTER (WHERE status = 'queued'),"
          + " count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled', 'dead'))"
          + " FROM runs WHERE team_id = ?";

  private static final String LATEST_ATTEMPT_NO =
      "SELECT COALESCE(MAX(attempt_no), 0) FROM run_attempts WHERE run_id = ?";

  private static final String LOGS_AFTER =
      "SELECT attempt_no, seq, stream, line, logged_at FROM run_logs"
          + " WHERE run_id = ? AND (attempt_no, seq) > (?, ?)"
          + " ORDER BY attempt_no, seq LIMIT ?";

  private static final String ATTEMPTS =
      "SELECT a.attempt_no, a.status, rn.name, a.exit_code, a.error_message, a.started_at,"
          + " a.finished_at, s.secret_names FROM run_attempts a"
          + " JOIN runners rn ON rn.id = a.runner_id"
          + " LEFT JOIN run_attempt_secrets s ON s.attempt_id = a.id"
          + " WHERE a.run_id = ? ORDER BY a.attempt_no";

  private static final String ARTIFACT_OF_RUN =
      "SELECT v.artifact_sha256, v.artifact_size, v.entrypoint, v.timeout_seconds,"
          + " v.import_paths::text AS import_paths, jsonb_array_length(v.import_paths) AS n_paths"
          + " FROM runs r JOIN app_versions v ON v.id = r.app_version_id WHERE r.id = ?";

  // Served by runs_schedule_active_idx.
  private static final String HAS_ACTIVE_RUN_OF_SCHEDULE =
      "SELECT EXISTS (SELECT 1 FROM runs WHERE schedule_id = ?"
          + " AND status IN ('queued', 'leased', 'running', 'cancelling'))";

  private final AgroalDataSource dataSource;

  RunQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<RunRow> find(long teamId, long runId) {
    return Reads.one(dataSource, FIND, RunQueries::row, teamId, runId);
  }

  public Optional<RunRow> findByIdempotencyKey(long teamId, long appId, String key) {
    return Reads.one(dataSource, FIND_BY_IDEMPOTENCY_KEY, RunQueries::row, teamId, appId, key);
  }

  public List<RunRow> listForApp(long teamId, long appId, int limit, long offset) {
    return Reads.list(dataSource, LIST_FOR_APP, RunQueries::row, teamId, appId, limit, offset);
  }

  /**
   * Team-wide list: status rank, newest queued first, then id for a stable page order. A null
   * {@code status} or {@code appSlug} does not filter.
   */
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
    return Reads.list(dataSource, sql.toString(), RunQueries::row, params.toArray());
  }

  public Summary summary(long teamId) {
    return Reads.one(
            dataSource,
            SUMMARY,
            rs -> new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
            teamId)
        .orElseThrow();
  }

  /** Highest attempt number of the run, 0 when it was never leased. */
  public int latestAttemptNo(long runId) {
    return Reads.one(dataSource, LATEST_ATTEMPT_NO, rs -> rs.getInt(1), runId).orElse(0);
  }

  /** Lines after the cursor (attempt, seq), in (attempt_no, seq) order, at most {@code limit}. */
  public List<LogLine> logsAfter(long runId, int afterAttempt, long afterSeq, int limit) {
    return Reads.list(
        dataSource,
        LOGS_AFTER,
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

  /** The run's attempts in order, with their runner's name and the secret names they got. */
  public List<Attempt> attempts(long runId) {
    return Reads.list(
        dataSource,
        ATTEMPTS,
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

  /** The artifact of the run's version; empty when the run does not exist. */
  public Optional<RunArtifact> artifactOf(long runId) {
    return Reads.one(
        dataSource,
        ARTIFACT_OF_RUN,
        rs ->
            new RunArtifact(
                rs.getString("artifact_sha256"),
                rs.getLong("artifact_size"),
                rs.getString("entrypoint"),
                Jdbc.intOrNull(rs, "timeout_seconds"),
                rs.getString("import_paths"),
                rs.getInt("n_paths")),
        runId);
  }

  /** True when a run of the schedule is queued or live (the "skip" overlap policy). */
  @Transactional(TxType.MANDATORY)
  public boolean hasActiveRunOfSchedule(long scheduleId) {
    return Reads.one(dataSource, HAS_ACTIVE_RUN_OF_SCHEDULE, rs -> rs.getBoolean(1), scheduleId)
        .orElse(false);
  }

  private static List<String> secretNames(java.sql.Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }

  /**
   * {@link RunRow} by column name: of the rows {@link #FIND} and the other views select, and of the
   * row {@link RunSql#INSERT_RUNS} answers (which carries the same names), so a create reads
   * nothing back.
   */
  static RunRow row(ResultSet rs) throws SQLException {
    return new RunRow(
        rs.getLong("id"),
        rs.getLong("app_id"),
        rs.getString("app_slug"),
        rs.getLong("run_no"),
        rs.getInt("version_no"),
        rs.getString("status"),
        rs.getString("input_text"),
        rs.getInt("priority"),
        rs.getInt("max_retries"),
        rs.getInt("retry_count"),
        rs.getBoolean("cancel_requested"),
        rs.getObject("queued_at", OffsetDateTime.class),
        rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class),
        rs.getString("environment_name"),
        rs.getBoolean("retry_on_failure"),
        rs.getString("request_hash"));
  }
}
