package dev.minitower.scheduler.liveness;

import dev.minitower.model.event.RunnerEventData;
import dev.minitower.model.event.RunnerEventType;
import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runner liveness (runs.md §7 steps 2–3, §8): online runners unseen for twice the lease TTL go
 * offline; offline runners that never held an attempt are deleted after the prune delay. Each
 * change writes its runner event to the outbox in the same transaction. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so replicas never emit an event twice for one change.
 */
@ApplicationScoped
public class RunnerLiveness {
  private static final Logger LOG = Logger.getLogger(RunnerLiveness.class);
  private static final int BATCH = 100;

  /** {@code now} as given, or the database's when null (production: one clock for leases). */
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

  private final AgroalDataSource dataSource;
  private final OutboxWriter outbox;
  private final SchedulerConfig config;

  RunnerLiveness(AgroalDataSource dataSource, OutboxWriter outbox, SchedulerConfig config) {
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.config = config;
  }

  /** Marks stale runners offline; answers how many. {@code now} null = the database's clock. */
  public int markStaleOffline(Instant now) {
    Object at = now == null ? Jdbc.TypedNull.TIMESTAMP : now;
    long staleMs = config.leaseTtl().multipliedBy(2).toMillis();
    int total = 0;
    while (true) {
      List<RunnerEventData> marked =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      changeAndEmit(
                          MARK_OFFLINE,
                          RunnerEventType.OFFLINE,
                          "offline",
                          at,
                          at,
                          staleMs,
                          BATCH,
                          at,
                          staleMs));
      total += marked.size();
      if (marked.size() < BATCH) {
        break;
      }
    }
    if (total > 0) {
      LOG.infof("marked stale runners offline count=%d", total);
    }
    return total;
  }

  /**
   * Deletes offline runners without attempts after the prune delay (≤ 0: never). {@code now} null =
   * the database's clock.
   */
  public int pruneOffline(Instant now) {
    Duration after = config.runnerPruneAfter();
    if (after.isZero() || after.isNegative()) {
      return 0;
    }
    Object at = now == null ? Jdbc.TypedNull.TIMESTAMP : now;
    int total = 0;
    while (true) {
      List<RunnerEventData> pruned =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      changeAndEmit(
                          PRUNE, RunnerEventType.PRUNED, "offline", at, after.toMillis(), BATCH));
      total += pruned.size();
      if (pruned.size() < BATCH) {
        break;
      }
    }
    if (total > 0) {
      LOG.infof("pruned offline runners count=%d", total);
    }
    return total;
  }

  private List<RunnerEventData> changeAndEmit(
      String sql, RunnerEventType type, String status, Object... params) {
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
                      status),
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
