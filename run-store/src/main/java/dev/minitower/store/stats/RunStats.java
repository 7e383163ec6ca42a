package dev.minitower.store.stats;

import dev.minitower.store.jdbc.Reads;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Every aggregate query of the client API's stats over runs and attempts, computed in PostgreSQL.
 * Each one is scoped by team (and app where asked) and bounded by {@code queued_at >= since}: a
 * range scan of {@code runs_team_list_idx (team_id, queued_at)} for the team, of {@code
 * runs_app_stats_idx (team_id, app_id, queued_at)} (migration V4, which also carries status and
 * timestamps) for one app.
 */
@ApplicationScoped
public class RunStats {

  /** Counts of one bucket by current status, and run durations (started → finished). */
  public record Bucket(
      OffsetDateTime start,
      long queued,
      long active,
      long completed,
      long failed,
      long cancelled,
      long dead,
      Double p50,
      Double p95) {}

  public record AppDurations(
      String app, long runs, long failed, Double p50, Double p95, Double max) {}

  public record DurationPoint(
      long runId,
      long runNo,
      String status,
      OffsetDateTime queuedAt,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      double seconds) {}

  public record AttemptSpan(
      int attemptNo,
      String status,
      String runnerName,
      OffsetDateTime queuedAt,
      OffsetDateTime leasedAt,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt) {}

  public record EnvironmentLoad(
      long id, String name, boolean isDefault, long queued, long active, OffsetDateTime oldest) {}

  private static final String DURATION = "EXTRACT(EPOCH FROM (finished_at - started_at))";
  private static final String FINISHED_WITH_START =
      "status IN ('completed', 'failed', 'dead') AND started_at IS NOT NULL";

  private final AgroalDataSource dataSource;

  RunStats(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs queued in [since, now) per bucket (UTC-aligned {@code date_bin}), empty buckets included,
   * oldest first. {@code appId} null means every app of the team.
   */
  public List<Bucket> buckets(long teamId, Long appId, OffsetDateTime since, String width) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder(
            "WITH r AS (SELECT date_bin(CAST(? AS interval), queued_at,"
                + " TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, status, started_at,"
                + " finished_at FROM runs WHERE team_id = ? AND queued_at >= ?");
    params.add(width);
    params.add(teamId);
    params.add(since);
    if (appId != null) {
      sql.append(" AND app_id = ?");
      params.add(appId);
    }
    sql.append(
        "), s AS (SELECT generate_series(date_bin(CAST(? AS interval), CAST(? AS timestamptz),"
            + " TIMESTAMPTZ '2000-01-01 00:00:00+00'), now(), CAST(? AS interval)) AS bucket)"
            + " SELECT s.bucket,"
            + " count(r.status) FILTER (WHERE r.status = 'queued'),"
            + " count(r.status) FILTER (WHERE r.status IN ('leased', 'running', 'cancelling')),"
            + " count(r.status) FILTER (WHERE r.status = 'completed'),"
            + " count(r.status) FILTER (WHERE r.status = 'failed'),"
            + " count(r.status) FILTER (WHERE r.status = 'cancelled'),"
            + " count(r.status) FILTER (WHERE r.status = 'dead'),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (r.finished_at -"
            + " r.started_at))) FILTER (WHERE r.status IN ('completed', 'failed', 'dead')"
            + " AND r.started_at IS NOT NULL),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (r.finished_at -"
            + " r.started_at))) FILTER (WHERE r.status IN ('completed', 'failed', 'dead')"
            + " AND r.started_at IS NOT NULL)"
            + " FROM s LEFT JOIN r ON r.bucket = s.bucket GROUP BY s.bucket ORDER BY s.bucket");
    params.add(width);
    params.add(since);
    params.add(width);
    return Reads.list(
        dataSource,
        sql.toString(),
        rs ->
            new Bucket(
                rs.getObject(1, OffsetDateTime.class),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                doubleOrNull(rs, 8),
                doubleOrNull(rs, 9)),
        params.toArray());
  }

  /** The team's apps by p95 duration of their runs queued since {@code since}, slowest first. */
  public List<AppDurations> slowestApps(long teamId, OffsetDateTime since, int limit) {
    return Reads.list(
        dataSource,
        "SELECT a.slug, count(*), count(*) FILTER (WHERE r.status IN ('failed', 'dead')),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY "
            + DURATION
            + "), percentile_cont(0.95) WITHIN GROUP (ORDER BY "
            + DURATION
            + "), max("
            + DURATION
            + ") FROM runs r JOIN apps a ON a.id = r.app_id AND a.team_id = r.team_id"
            + " WHERE r.team_id = ? AND r.queued_at >= ?"
            + " AND r.status IN ('completed', 'failed', 'dead') AND r.started_at IS NOT NULL"
            + " GROUP BY a.slug ORDER BY 5 DESC, a.slug LIMIT ?",
        rs ->
            new AppDurations(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                doubleOrNull(rs, 4),
                doubleOrNull(rs, 5),
                doubleOrNull(rs, 6)),
        teamId,
        since,
        limit);
  }

  /** The app's latest finished runs that started (newest first): one point per run. */
  public List<DurationPoint> durations(long teamId, long appId, int limit) {
    return Reads.list(
        dataSource,
        "SELECT id, run_no, status, queued_at, started_at, finished_at, "
            + DURATION
            + " FROM runs WHERE team_id = ? AND app_id = ? AND "
            + FINISHED_WITH_START
            + " ORDER BY queued_at DESC, id DESC LIMIT ?",
        rs ->
            new DurationPoint(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class),
                rs.getObject(5, OffsetDateTime.class),
                rs.getObject(6, OffsetDateTime.class),
                rs.getDouble(7)),
        teamId,
        appId,
        limit);
  }

  /** Each attempt's queued → leased → started → finished instants (the caller checked scope). */
  public List<AttemptSpan> attempts(long runId) {
    return Reads.list(
        dataSource,
        "SELECT a.attempt_no, a.status, rn.name, a.queued_at, a.leased_at, a.started_at,"
            + " a.finished_at FROM run_attempts a JOIN runners rn ON rn.id = a.runner_id"
            + " WHERE a.run_id = ? ORDER BY a.attempt_no",
        rs ->
            new AttemptSpan(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class),
                rs.getObject(5, OffsetDateTime.class),
                rs.getObject(6, OffsetDateTime.class),
                rs.getObject(7, OffsetDateTime.class)),
        runId);
  }

  /** The team's environments with their queued and active run counts (queue depth). */
  public List<EnvironmentLoad> environmentLoad(long teamId) {
    return Reads.list(
        dataSource,
        "SELECT e.id, e.name, e.is_default,"
            + " count(r.id) FILTER (WHERE r.status = 'queued'),"
            + " count(r.id) FILTER (WHERE r.status IN ('leased', 'running', 'cancelling')),"
            + " min(r.queued_at) FILTER (WHERE r.status = 'queued')"
            + " FROM environments e LEFT JOIN runs r ON r.team_id = e.team_id"
            + " AND r.environment_id = e.id"
            + " AND r.status IN ('queued', 'leased', 'running', 'cancelling')"
            + " WHERE e.team_id = ? GROUP BY e.id, e.name, e.is_default ORDER BY e.name",
        rs ->
            new EnvironmentLoad(
                rs.getLong(1),
                rs.getString(2),
                rs.getBoolean(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getObject(6, OffsetDateTime.class)),
        teamId);
  }

  private static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
