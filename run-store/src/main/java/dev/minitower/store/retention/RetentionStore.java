package dev.minitower.store.retention;

import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The retention deletes of finished runs, one batch per call inside the caller's transaction.
 * Active runs are never touched: they have no {@code finished_at}.
 */
@ApplicationScoped
public class RetentionStore {
  // runs_finished_idx finds the old runs; run_logs_run_idx their lines.
  private static final String DELETE_LOGS =
      "DELETE FROM run_logs WHERE (attempt_id, seq) IN (SELECT l.attempt_id, l.seq FROM runs r"
          + " JOIN run_logs l ON l.run_id = r.id WHERE r.finished_at IS NOT NULL"
          + " AND r.finished_at < ? LIMIT ?)";
  private static final String DELETE_RUNS =
      "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL"
          + " AND finished_at < ? ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)";

  private final AgroalDataSource dataSource;

  RetentionStore(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Deletes up to {@code limit} log lines of runs finished before {@code cutoff}. */
  @Transactional(TxType.MANDATORY)
  public int deleteLogLines(Instant cutoff, int limit) {
    return delete(DELETE_LOGS, cutoff, limit);
  }

  /**
   * Deletes up to {@code limit} runs finished before {@code cutoff} (attempts and logs cascade).
   */
  @Transactional(TxType.MANDATORY)
  public int deleteRuns(Instant cutoff, int limit) {
    return delete(DELETE_RUNS, cutoff, limit);
  }

  private int delete(String sql, Instant cutoff, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.update(c, sql, cutoff, limit);
    } catch (SQLException e) {
      throw new StoreException("retention delete", e);
    }
  }
}
