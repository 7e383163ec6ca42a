package dev.minitower.api.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.api.store.Jdbc;
import dev.minitower.api.store.UniqueViolation;
import dev.minitower.model.api.ScheduleView;
import dev.minitower.model.wire.WireTime;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes and reads of {@code schedules}, every one scoped by team (Hibernate ORM; {@link
 * ScheduleEntity} never leaves this class). The ticks ({@code schedule_ticks}) are
 * scheduler-service's rows, only read here, with plain SQL.
 */
@ApplicationScoped
public class ScheduleStore {
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

  private final Jdbc jdbc;

  ScheduleStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A schedule with its latest tick (null when it never ticked). */
  public record RowWithTick(Row row, ScheduleView.TickView lastTick) {}

  // One index probe per schedule on the (schedule_id, tick_at) primary key.
  private static final String LATEST_TICKS =
      "SELECT s.id, t.tick_at, t.outcome, t.reason, t.run_id"
          + " FROM unnest(CAST(? AS bigint[])) AS s(id)"
          + " JOIN LATERAL (SELECT tick_at, outcome, reason, run_id FROM schedule_ticks st"
          + " WHERE st.schedule_id = s.id ORDER BY st.tick_at DESC LIMIT 1) t ON true";

  /**
   * The team's schedules (of one app when {@code appId} is set), next to fire first, each with its
   * latest tick.
   */
  public List<RowWithTick> listForTeam(long teamId, Long appId, int limit) {
    PanacheQuery<ScheduleEntity> query =
        appId == null
            ? ScheduleEntity.find("teamId = ?1 order by nextFireAt nulls last, id", teamId)
            : ScheduleEntity.find(
                "teamId = ?1 and appId = ?2 order by nextFireAt nulls last, id", teamId, appId);
    List<Row> rows = query.range(0, limit - 1).list().stream().map(ScheduleStore::row).toList();
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<Long, ScheduleView.TickView> ticks = new HashMap<>();
    jdbc.list(
            LATEST_TICKS,
            rs -> {
              long run = rs.getLong(5);
              Long runId = rs.wasNull() ? null : run;
              return Map.entry(
                  rs.getLong(1),
                  new ScheduleView.TickView(
                      WireTime.format(rs.getObject(2, OffsetDateTime.class).toInstant()),
                      rs.getString(3),
                      rs.getString(4),
                      runId));
            },
            rows.stream()
                .map(r -> Long.toString(r.id()))
                .collect(Collectors.joining(",", "{", "}")))
        .forEach(e -> ticks.put(e.getKey(), e.getValue()));
    return rows.stream().map(r -> new RowWithTick(r, ticks.get(r.id()))).toList();
  }

  public List<Row> list(long teamId, long appId, int limit) {
    return ScheduleEntity.<ScheduleEntity>find(
            "teamId = ?1 and appId = ?2 order by id", teamId, appId)
        .range(0, limit - 1)
        .list()
        .stream()
        .map(ScheduleStore::row)
        .toList();
  }

  private static final String TICKS =
      "SELECT tick_at, outcome, reason, run_id FROM schedule_ticks WHERE schedule_id = ?"
          + " ORDER BY tick_at DESC LIMIT ?";

  /** The schedule's latest {@code limit} ticks, newest first (the caller checked the scope). */
  public List<ScheduleView.TickView> ticks(long scheduleId, int limit) {
    return jdbc.list(
        TICKS,
        rs -> {
          Long run = rs.getLong(4);
          if (rs.wasNull()) {
            run = null;
          }
          return new ScheduleView.TickView(
              WireTime.format(rs.getObject(1, OffsetDateTime.class).toInstant()),
              rs.getString(2),
              rs.getString(3),
              run);
        },
        scheduleId,
        limit);
  }

  /** The schedule; with {@code lock}, its row stays locked until the transaction ends. */
  public Optional<Row> find(long teamId, long appId, long id, boolean lock) {
    PanacheQuery<ScheduleEntity> query =
        ScheduleEntity.find("id = ?1 and teamId = ?2 and appId = ?3", id, teamId, appId);
    if (lock) {
      query.withLock(LockModeType.PESSIMISTIC_WRITE);
    }
    return query.firstResultOptional().map(ScheduleStore::row);
  }

  /** Inserts; empty when the app already has a schedule with this name (also under a race). */
  public Optional<Long> insert(long teamId, long appId, Row r) {
    if (ScheduleEntity.count("appId = ?1 and name = ?2", appId, r.name()) > 0) {
      return Optional.empty();
    }
    ScheduleEntity s = new ScheduleEntity();
    s.teamId = teamId;
    s.appId = appId;
    apply(s, r);
    try {
      s.persistAndFlush();
    } catch (PersistenceException e) {
      if (UniqueViolation.on(e, "schedules_app_name_uq")) {
        return Optional.empty();
      }
      throw e;
    }
    // Reads back what the database filled in (the app's slug, both times) for the caller's find.
    ScheduleEntity.getEntityManager().refresh(s);
    return Optional.of(s.id);
  }

  public boolean nameTaken(long appId, String name, long exceptId) {
    return ScheduleEntity.count("appId = ?1 and name = ?2 and id <> ?3", appId, name, exceptId) > 0;
  }

  /**
   * Writes every field of {@code r} in one guarded statement with {@code updated_at} the database's
   * time, also when no field changes (an entity update would skip that one). The caller's locked
   * copy of the row leaves the session, so its next {@link #find} reads the row as written.
   */
  public void update(long teamId, Row r) {
    ScheduleEntity.update(
        "name = ?1, cron = ?2, timezone = ?3, environmentName = ?4, versionNo = ?5, input = ?6,"
            + " priority = ?7, maxRetries = ?8, enabled = ?9, overlapPolicy = ?10,"
            + " catchupPolicy = ?11, catchupMax = ?12, nextFireAt = ?13,"
            + " updatedAt = current_timestamp where id = ?14 and teamId = ?15",
        r.name(),
        r.cron(),
        r.timezone(),
        r.environment(),
        r.versionNo(),
        json(r.input()),
        r.priority(),
        r.maxRetries(),
        r.enabled(),
        r.overlapPolicy(),
        r.catchupPolicy(),
        r.catchupMax(),
        ScheduleEntity.at(r.nextFireAt()),
        r.id(),
        teamId);
    EntityManager em = ScheduleEntity.getEntityManager();
    em.detach(em.getReference(ScheduleEntity.class, r.id()));
  }

  public boolean delete(long teamId, long appId, long id) {
    return ScheduleEntity.delete("id = ?1 and teamId = ?2 and appId = ?3", id, teamId, appId) == 1;
  }

  private static void apply(ScheduleEntity s, Row r) {
    s.name = r.name();
    s.cron = r.cron();
    s.timezone = r.timezone();
    s.environmentName = r.environment();
    s.versionNo = r.versionNo();
    s.input = json(r.input());
    s.priority = r.priority();
    s.maxRetries = r.maxRetries();
    s.enabled = r.enabled();
    s.overlapPolicy = r.overlapPolicy();
    s.catchupPolicy = r.catchupPolicy();
    s.catchupMax = r.catchupMax();
    s.nextFireAt = ScheduleEntity.at(r.nextFireAt());
  }

  private static String json(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Row row(ScheduleEntity s) {
    JsonNode input;
    try {
      input = s.input == null ? null : JSON.readTree(s.input);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad stored input of schedule " + s.id, e);
    }
    return new Row(
        s.id,
        s.appSlug,
        s.name,
        s.cron,
        s.timezone,
        s.environmentName,
        s.versionNo,
        input,
        s.priority,
        s.maxRetries,
        s.enabled,
        s.overlapPolicy,
        s.catchupPolicy,
        s.catchupMax,
        ScheduleEntity.instant(s.nextFireAt),
        ScheduleEntity.instant(s.lastFiredAt),
        ScheduleEntity.instant(s.createdAt),
        ScheduleEntity.instant(s.updatedAt));
  }
}
