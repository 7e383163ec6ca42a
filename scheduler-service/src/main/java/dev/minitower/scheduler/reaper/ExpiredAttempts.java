package dev.minitower.scheduler.reaper;

import dev.minitower.scheduler.config.Scoped;
import dev.minitower.scheduler.config.SweepScope;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.runs.RunTransitions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Finds the reaper's candidates: run-store's query when the scope is everything, else the same
 * selection narrowed to the scope's environments. Candidates are only hints; {@link
 * RunTransitions#reap} locks and re-checks each one.
 */
@ApplicationScoped
public class ExpiredAttempts {
  private static final String SCOPED =
      "SELECT a.id FROM run_attempts a JOIN runs r ON r.id = a.run_id"
          + " WHERE a.status IN ('leased', 'running', 'cancelling') AND a.lease_expires_at <= COALESCE(?::timestamptz, now())"
          + " AND "
          + Scoped.in("r.environment_name")
          + " ORDER BY a.lease_expires_at LIMIT ?";

  private final RunTransitions transitions;
  private final AgroalDataSource dataSource;
  private final SweepScope scope;

  ExpiredAttempts(RunTransitions transitions, AgroalDataSource dataSource, SweepScope scope) {
    this.transitions = transitions;
    this.dataSource = dataSource;
    this.scope = scope;
  }

  public List<Long> find(Instant asOf, int limit) {
    if (scope.environments().isEmpty()) {
      return transitions.expiredAttempts(asOf, limit);
    }
    Object[] in = Scoped.params(scope);
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(
          c,
          SCOPED,
          rs -> rs.getLong(1),
          asOf == null ? Jdbc.TypedNull.TIMESTAMP : asOf,
          in[0],
          in[1],
          limit);
    } catch (SQLException e) {
      throw new StoreException("find expired attempts", e);
    }
  }
}
