package dev.minitower.store.runners;

import dev.minitower.model.event.RunnerEventData;
import dev.minitower.model.event.RunnerEventType;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunRefusal;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every write to the {@code runners} table: registration (insert, take-over of a name) and liveness
 * (stale runners offline, offline runners pruned). Each runs inside the caller's transaction; a
 * liveness change writes its runner event to the outbox in that transaction. Rows of a sweep are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so replicas never emit an event twice for one
 * change. A null {@code now} is the database's clock (production: one clock for leases).
 */
@ApplicationScoped
public class RunnerStore {
  private static final String LOCK_BY_NAME =
      "SELECT id, status, (last_seen_at > now() - ? * interval '1 millisecond'"
          + " AND last_seen_at > token_issued_at) AS alive FROM runners WHERE name = ? AND team_id IS NOT DISTINCT FROM ? FOR UPDATE";
  private static final String INSERT =
      "INSERT INTO runners (team_id, name, environment, labels, token_hash, status,"
          + " max_concurrent, last_seen_at, token_issued_at)"
          + " VALUES (?, ?, ?, ?::jsonb, ?, 'online', ?, now(), now())"
          + " RETURNING id";
  private static final String TAKE_OVER =
      "UPDATE runners SET token_hash = ?, environment = ?, labels = ?::jsonb, max_concurrent = ?,"
          + " status = 'online', last_seen_at = now(), token_issued_at = now(), updated_at = now()"
          + " WHERE id = ?";

  /** {@code now} as given, or the database's when null. */
  private static final String NOW = "COALESCE(?::timestamptz, now())";

  private static final String MARK_OFFLINE =
      "UPDATE runners r SET status = 'offline', updated_at = "
          + NOW
          + " WHERE r.id IN ("
          + " SELECT id FROM runners WHERE status = 'online'"
          + " AND COALESCE(last_seen_at, updated_at, created_at) < "
          + NOW
          + " - ? * interval '1 millisecond'"
          + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " AND r.status = 'online' AND COALESCE(r.last_seen_at, r.updated_at, r.created_at) < "
          + NOW
          + " - ? * interval '1 millisecond'"
          + " RETURNING r.id, r.name, r.environment, r.team_id, r.status";

  private static final String PRUNE =
      "DELETE FROM runners r WHERE r.id IN ("
          + " SELECT id FROM runners x WHERE x.status = 'offline' AND x.updated_at < "
          + NOW
          + " - ? * interval '1 millisecond'"
          + " AND NOT EXISTS (SELECT 1 FROM run_attempts a WHERE a.runner_id = x.id)"
          + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " AND r.status = 'offline'"
          + " RETURNING r.id, r.name, r.environment, r.team_id";

  /**
   * A registered runner of a name, locked; {@code alive} when its current token was used within the
   * live window and after it was issued.
   */
  public record NamedRunner(long id, String status, boolean alive) {}

  /** What a registration writes. */
  public record Registration(
      Long teamId,
      String name,
      String environment,
      String labelsJson,
      String tokenHash,
      int maxConcurrent) {}

  private final AgroalDataSource dataSource;
  private final OutboxWriter outbox;

  RunnerStore(AgroalDataSource dataSource, OutboxWriter outbox) {
    this.dataSource = dataSource;
    this.outbox = outbox;
  }

  /** The runner of {@code name} in the team's scope (null team: the platform's), locked. */
  @Transactional(TxType.MANDATORY)
  public Optional<NamedRunner> lockByName(String name, Long teamId, Duration liveWithin) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(
          c,
          LOCK_BY_NAME,
          rs -> new NamedRunner(rs.getLong("id"), rs.getString("status"), rs.getBoolean("alive")),
          liveWithin.toMillis(),
          name,
          Jdbc.bigint(teamId));
    } catch (SQLException e) {
      throw new StoreException("register runner", e);
    }
  }

  /**
   * Inserts an online runner; answers its id.
   *
   * @throws RunRefusal conflict when a concurrent registration took the name
   */
  @Transactional(TxType.MANDATORY)
  public long insert(Registration r) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(
              c,
              INSERT,
              rs -> rs.getLong(1),
              Jdbc.bigint(r.teamId()),
              r.name(),
              r.environment(),
              r.labelsJson(),
              r.tokenHash(),
              r.maxConcurrent())
          .orElseThrow();
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e)) {
        throw RunRefusal.conflict("runner name is already registered; retry");
      }
      throw new StoreException("register runner", e);
    }
  }

  /** Gives an existing runner a new token and settings; it is online and seen now. */
  @Transactional(TxType.MANDATORY)
  public void takeOver(long runnerId, Registration r) {
    try (Connection c = dataSource.getConnection()) {
      Jdbc.update(
          c,
          TAKE_OVER,
          r.tokenHash(),
          r.environment(),
          r.labelsJson(),
          r.maxConcurrent(),
          runnerId);
    } catch (SQLException e) {
      throw new StoreException("register runner", e);
    }
  }

  /**
   * Marks up to {@code limit} online runners unseen for {@code stale} offline, with their {@code
   * runner.offline} events; answers them.
   */
  @Transactional(TxType.MANDATORY)
  public List<RunnerEventData> markStaleOffline(Instant now, Duration stale, int limit) {
    Object at = now == null ? Jdbc.TypedNull.TIMESTAMP : now;
    long staleMs = stale.toMillis();
    return changeAndEmit(
        MARK_OFFLINE, RunnerEventType.OFFLINE, at, at, staleMs, limit, at, staleMs);
  }

  /**
   * Deletes up to {@code limit} runners offline for longer than {@code after} that never held an
   * attempt, with their {@code runner.pruned} events; answers them.
   */
  @Transactional(TxType.MANDATORY)
  public List<RunnerEventData> pruneOffline(Instant now, Duration after, int limit) {
    Object at = now == null ? Jdbc.TypedNull.TIMESTAMP : now;
    return changeAndEmit(PRUNE, RunnerEventType.PRUNED, at, after.toMillis(), limit);
  }

  private List<RunnerEventData> changeAndEmit(String sql, RunnerEventType type, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      List<RunnerEventData> changed =
          Jdbc.query(
              c,
              sql,
              rs ->
                  new RunnerEventData(
                      rs.getLong("id"),
                      rs.getString("name"),
                      rs.getString("environment"),
                      Jdbc.longOrNull(rs, "team_id"),
                      "offline"),
              params);
      for (RunnerEventData runner : changed) {
        outbox.runnerEvent(type, runner);
      }
      return changed;
    } catch (SQLException e) {
      throw new StoreException(
          type == RunnerEventType.OFFLINE ? "runner offline sweep" : "runner prune sweep", e);
    }
  }
}
