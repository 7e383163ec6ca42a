package dev.minitower.api.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.model.api.ScheduleView;
import dev.minitower.model.wire.WireTime;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every SQL statement of the schedules API over {@code schedules}; always scoped by team. */
@ApplicationScoped
public class ScheduleStore {
  private static final String COLUMNS =
      "s.id, a.slug AS app_slug, s.name, s.cron, s.timezone, s.environment_name, s.version_no,"
          + " s.input::text AS input, s.priority, s.max_retries, s.enabled, s.overlap_policy,"
          + " s.catchup_policy, s.catchup_max, s.next_fire_at, s.last_fired_at, s.created_at,"
          + " s.updated_at";
  private static final String FROM = " FROM schedules s JOIN apps a ON a.id = s.app_id";

  private static final String LIST =
      "SELECT " + COLUMNS + FROM + " WHERE s.team_id = ? AND s.app_id = ? ORDER BY s.id LIMIT ?";
  private static final String GET =
      "SELECT " + COLUMNS + FROM + " WHERE s.id = ? AND s.team_id = ? AND s.app_id = ?";
  private static final String LOCK =
      "SELECT "
          + COLUMNS
          + FROM
          + " WHERE s.id = ? AND s.team_id = ? AND s.app_id = ? FOR UPDATE OF s";
  private static final String INSERT =
      "INSERT INTO schedules (team_id, app_id, name, cron, timezone, environment_name, version_no,"
          + " input, priority, max_retries, enabled, overlap_policy, catchup_policy, catchup_max,"
          + " next_fire_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (app_id, name) DO NOTHING RETURNING id";
  private static final String UPDATE =
      "UPDATE schedules SET name = ?, cron = ?, timezone = ?, environment_name = ?,"
          + " version_no = ?, input = ?::jsonb, priority = ?, max_retries = ?, enabled = ?,"
          + " overlap_policy = ?, catchup_policy = ?, catchup_max = ?, next_fire_at = ?,"
          + " updated_at = now() WHERE id = ? AND team_id = ?";
  private static final String NAME_TAKEN =
      "SELECT EXISTS (SELECT 1 FROM schedules WHERE app_id = ? AND name = ? AND id <> ?)";
  private static final String DELETE =
      "DELETE FROM schedules WHERE id = ? AND team_id = ? AND app_id = ?";

  /** A schedule's stored fields. */
  public record Row(
      long id,
      String appSlug,
      String name,
      String cron,
      String timezone,
      String environment,
      Integer versionNo,
      JsonNode input,
      int priority,
      int maxRetries,
      boolean enabled,
      String overlapPolicy,
      String catchupPolicy,
      int catchupMax,
      Instant nextFireAt,
      Instant lastFiredAt,
      Instant createdAt,
      Instant updatedAt) {

    ScheduleView view() {
      return new ScheduleView(
          id,
          appSlug,
          name,
          cron,
          timezone,
          environment,
          versionNo,
          input,
          priority,
          maxRetries,
          enabled,
          overlapPolicy,
          catchupPolicy,
          catchupMax,
          WireTime.format(nextFireAt),
          WireTime.format(lastFiredAt),
          WireTime.format(createdAt),
          WireTime.format(updatedAt));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AgroalDataSource dataSource;

  ScheduleStore(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A schedule with its latest tick (null when it never ticked). */
  public record RowWithTick(Row row, ScheduleView.TickView lastTick) {}

  // The latest tick comes from the (schedule_id, tick_at) primary key, one index probe each.
  private static final String LIST_TEAM =
      "SELECT "
          + COLUMNS
          + ", t.tick_at AS last_tick_at, t.outcome AS last_outcome, t.reason AS last_reason,"
          + " t.run_id AS last_run_id"
          + FROM
          + " LEFT JOIN LATERAL (SELECT tick_at, outcome, reason, run_id FROM schedule_ticks st"
          + " WHERE st.schedule_id = s.id ORDER BY st.tick_at DESC LIMIT 1) t ON true"
          + " WHERE s.team_id = ? AND (CAST(? AS text) IS NULL OR a.slug = ?)"
          + " ORDER BY s.next_fire_at NULLS LAST, s.id LIMIT ?";

  /** The team's schedules (of one app when {@code appSlug} is set), next to fire first. */
  public List<RowWithTick> listForTeam(long teamId, String appSlug, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(
          c,
          LIST_TEAM,
          rs -> {
            java.time.OffsetDateTime tickAt =
                rs.getObject("last_tick_at", java.time.OffsetDateTime.class);
            ScheduleView.TickView tick = null;
            if (tickAt != null) {
              long run = rs.getLong("last_run_id");
              Long runId = rs.wasNull() ? null : run;
              tick =
                  new ScheduleView.TickView(
                      WireTime.format(tickAt.toInstant()),
                      rs.getString("last_outcome"),
                      rs.getString("last_reason"),
                      runId);
            }
            return new RowWithTick(map(rs), tick);
          },
          teamId,
          Jdbc.text(appSlug),
          Jdbc.text(appSlug),
          limit);
    } catch (SQLException e) {
      throw new StoreException("list team schedules", e);
    }
  }

  public List<Row> list(long teamId, long appId, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(c, LIST, ScheduleStore::map, teamId, appId, limit);
    } catch (SQLException e) {
      throw new StoreException("list schedules", e);
    }
  }

  private static final String TICKS =
      "SELECT tick_at, outcome, reason, run_id FROM schedule_ticks WHERE schedule_id = ?"
          + " ORDER BY tick_at DESC LIMIT ?";

  /** The schedule's latest {@code limit} ticks, newest first (the caller checked the scope). */
  public List<ScheduleView.TickView> ticks(long scheduleId, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(
          c,
          TICKS,
          rs -> {
            Long run = rs.getLong(4);
            if (rs.wasNull()) {
              run = null;
            }
            return new ScheduleView.TickView(
                WireTime.format(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()),
                rs.getString(2),
                rs.getString(3),
                run);
          },
          scheduleId,
          limit);
    } catch (SQLException e) {
      throw new StoreException("list schedule ticks", e);
    }
  }

  public Optional<Row> find(long teamId, long appId, long id, boolean lock) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(c, lock ? LOCK : GET, ScheduleStore::map, id, teamId, appId);
    } catch (SQLException e) {
      throw new StoreException("get schedule", e);
    }
  }

  /** Inserts; empty when the app already has a schedule with this name. */
  public Optional<Long> insert(long teamId, long appId, Row r) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(
          c,
          INSERT,
          rs -> rs.getLong(1),
          teamId,
          appId,
          r.name(),
          r.cron(),
          r.timezone(),
          r.environment(),
          Jdbc.integer(r.versionNo()),
          json(r.input()),
          r.priority(),
          r.maxRetries(),
          r.enabled(),
          r.overlapPolicy(),
          r.catchupPolicy(),
          r.catchupMax(),
          r.nextFireAt() == null ? Jdbc.TypedNull.TIMESTAMP : r.nextFireAt());
    } catch (SQLException e) {
      throw new StoreException("create schedule", e);
    }
  }

  public boolean nameTaken(long appId, String name, long exceptId) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(c, NAME_TAKEN, rs -> rs.getBoolean(1), appId, name, exceptId)
          .orElse(false);
    } catch (SQLException e) {
      throw new StoreException("check schedule name", e);
    }
  }

  public void update(long teamId, Row r) {
    try (Connection c = dataSource.getConnection()) {
      Jdbc.update(
          c,
          UPDATE,
          r.name(),
          r.cron(),
          r.timezone(),
          r.environment(),
          Jdbc.integer(r.versionNo()),
          json(r.input()),
          r.priority(),
          r.maxRetries(),
          r.enabled(),
          r.overlapPolicy(),
          r.catchupPolicy(),
          r.catchupMax(),
          r.nextFireAt() == null ? Jdbc.TypedNull.TIMESTAMP : r.nextFireAt(),
          r.id(),
          teamId);
    } catch (SQLException e) {
      throw new StoreException("update schedule", e);
    }
  }

  public boolean delete(long teamId, long appId, long id) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.update(c, DELETE, id, teamId, appId) == 1;
    } catch (SQLException e) {
      throw new StoreException("delete schedule", e);
    }
  }

  private static Object json(JsonNode node) {
    if (node == null || node.isNull()) {
      return Jdbc.TypedNull.TEXT;
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Row map(ResultSet rs) throws SQLException {
    String input = rs.getString("input");
    JsonNode node;
    try {
      node = input == null ? null : JSON.readTree(input);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("bad stored input", e);
    }
    return new Row(
        rs.getLong("id"),
        rs.getString("app_slug"),
        rs.getString("name"),
        rs.getString("cron"),
        rs.getString("timezone"),
        rs.getString("environment_name"),
        Jdbc.intOrNull(rs, "version_no"),
        node,
        rs.getInt("priority"),
        rs.getInt("max_retries"),
        rs.getBoolean("enabled"),
        rs.getString("overlap_policy"),
        rs.getString("catchup_policy"),
        rs.getInt("catchup_max"),
        Jdbc.instant(rs, "next_fire_at"),
        Jdbc.instant(rs, "last_fired_at"),
        Jdbc.instant(rs, "created_at"),
        Jdbc.instant(rs, "updated_at"));
  }
}
