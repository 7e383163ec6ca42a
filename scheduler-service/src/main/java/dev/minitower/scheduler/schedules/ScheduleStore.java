package dev.minitower.scheduler.schedules;

import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every SQL statement of cron firing over {@code schedules} and {@code schedule_ticks}. The tick
 * insert is the exactly-once guard: its primary key (schedule_id, tick_at) lets one transaction
 * record a tick and every other replica's insert does nothing. The overlap check reads runs, so it
 * is run-store's ({@code RunQueries.hasActiveRunOfSchedule}).
 */
@ApplicationScoped
public class ScheduleStore {
  private static final String COLUMNS =
      "s.id, s.team_id, s.app_id, s.name, s.cron, s.timezone, s.environment_name, s.version_no,"
          + " s.input::text AS input, s.priority, s.max_retries, s.overlap_policy,"
          + " s.catchup_policy, s.catchup_max, s.next_fire_at";

  // Served by schedules_due_idx (next_fire_at) WHERE enabled.
  private static final String LOCK_DUE =
      "SELECT "
          + COLUMNS
          + " FROM schedules s WHERE s.enabled AND s.next_fire_at <= ?"
          + " ORDER BY s.next_fire_at, s.id LIMIT ? FOR UPDATE OF s SKIP LOCKED";

  private static final String LOCK_UNSET =
      "SELECT "
          + COLUMNS
          + " FROM schedules s WHERE s.enabled AND s.next_fire_at IS NULL"
          + " ORDER BY s.id LIMIT ? FOR UPDATE OF s SKIP LOCKED";

  private static final String INSERT_TICK =
      "INSERT INTO schedule_ticks (schedule_id, tick_at, outcome, reason, created_at)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (schedule_id, tick_at) DO NOTHING";

  private static final String SET_TICK_RUN =
      "UPDATE schedule_ticks SET run_id = ? WHERE schedule_id = ? AND tick_at = ?";

  private static final String ADVANCE =
      "UPDATE schedules SET next_fire_at = ?, last_fired_at = COALESCE(?, last_fired_at),"
          + " updated_at = ? WHERE id = ?";

  private static final String LATEST_VERSION =
      "SELECT id FROM app_versions WHERE app_id = ? ORDER BY version_no DESC LIMIT 1";
  private static final String VERSION =
      "SELECT id FROM app_versions WHERE app_id = ? AND version_no = ?";
  private static final String PARAMS_SCHEMA =
      "SELECT params_schema::text FROM app_versions WHERE id = ?";
  private static final String ENVIRONMENT =
      "SELECT id FROM environments WHERE team_id = ? AND name = ?";
  private static final String TEAM_APP =
      "SELECT t.slug, a.slug FROM apps a JOIN teams t ON t.id = a.team_id WHERE a.id = ?";

  /** A schedule row as firing needs it. */
  public record Schedule(
      long id,
      long teamId,
      long appId,
      String name,
      String cron,
      String timezone,
      String environment,
      Integer versionNo,
      String inputJson,
      int priority,
      int maxRetries,
      String overlapPolicy,
      String catchupPolicy,
      int catchupMax,
      Instant nextFireAt) {}

  private final AgroalDataSource dataSource;

  ScheduleStore(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public List<Schedule> lockDue(Instant now, int limit) {
    return list(LOCK_DUE, now, limit);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public List<Schedule> lockUnset(int limit) {
    return list(LOCK_UNSET, limit);
  }

  /** Records a tick; false when it was already recorded (another replica handled it). */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean insertTick(
      long scheduleId, Instant tickAt, String outcome, String reason, Instant now) {
    return update(INSERT_TICK, scheduleId, tickAt, outcome, Jdbc.text(reason), now) == 1;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void setTickRun(long scheduleId, Instant tickAt, long runId) {
    update(SET_TICK_RUN, runId, scheduleId, tickAt);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void advance(long scheduleId, Instant nextFireAt, Instant lastFiredAt, Instant now) {
    update(
        ADVANCE,
        nextFireAt == null ? Jdbc.TypedNull.TIMESTAMP : nextFireAt,
        lastFiredAt == null ? Jdbc.TypedNull.TIMESTAMP : lastFiredAt,
        now,
        scheduleId);
  }

  public Optional<Long> versionId(long appId, Integer versionNo) {
    return versionNo == null
        ? one(LATEST_VERSION, rs -> rs.getLong(1), appId)
        : one(VERSION, rs -> rs.getLong(1), appId, versionNo);
  }

  /** The version's parameter schema (JSON text), empty when it has none. */
  public Optional<String> paramsSchema(long versionId) {
    return one(PARAMS_SCHEMA, rs -> rs.getString(1), versionId).filter(x -> x != null);
  }

  public Optional<Long> environmentId(long teamId, String name) {
    return one(ENVIRONMENT, rs -> rs.getLong(1), teamId, name);
  }

  /** Team and app slugs (for metrics). */
  public Optional<String[]> slugs(long appId) {
    return one(TEAM_APP, rs -> new String[] {rs.getString(1), rs.getString(2)}, appId);
  }

  private List<Schedule> list(String sql, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(
          c,
          sql,
          rs ->
              new Schedule(
                  rs.getLong("id"),
                  rs.getLong("team_id"),
                  rs.getLong("app_id"),
                  rs.getString("name"),
                  rs.getString("cron"),
                  rs.getString("timezone"),
                  rs.getString("environment_name"),
                  Jdbc.intOrNull(rs, "version_no"),
                  rs.getString("input"),
                  rs.getInt("priority"),
                  rs.getInt("max_retries"),
                  rs.getString("overlap_policy"),
                  rs.getString("catchup_policy"),
                  rs.getInt("catchup_max"),
                  Jdbc.instant(rs, "next_fire_at")),
          params);
    } catch (SQLException e) {
      throw new StoreException("read schedules", e);
    }
  }

  private <T> Optional<T> one(String sql, Jdbc.RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(c, sql, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("read schedule data", e);
    }
  }

  private int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.update(c, sql, params);
    } catch (SQLException e) {
      throw new StoreException("write schedule", e);
    }
  }
}
