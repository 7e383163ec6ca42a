package dev.minitower.scheduler.retention;

import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Retention of finished runs: log lines of runs finished longer ago than MINITOWER_LOG_RETENTION,
 * and whole runs (attempts and logs cascade) finished longer ago than MINITOWER_RUN_RETENTION. Both
 * are off by default. Deletes go in small batches, each its own transaction, so locks and WAL
 * bursts stay short; active runs are never touched (they have no {@code finished_at}).
 */
@ApplicationScoped
public class RetentionSweeper {
  private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
  private static final int MAX_BATCHES = 1000;

  // runs_finished_idx finds the old runs; run_logs_run_idx their lines.
  private static final String DELETE_LOGS =
      "DELETE FROM run_logs WHERE (attempt_id, seq) IN (SELECT l.attempt_id, l.seq FROM runs r"
          + " JOIN run_logs l ON l.run_id = r.id WHERE r.finished_at IS NOT NULL"
          + " AND r.finished_at < ? LIMIT ?)";
  private static final String DELETE_RUNS =
      "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL"
          + " AND finished_at < ? ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)";

  /** What one pass deleted. */
  public record Pass(long logLines, long runs) {}

  private final AgroalDataSource dataSource;
  private final SchedulerConfig config;

  RetentionSweeper(AgroalDataSource dataSource, SchedulerConfig config) {
    this.dataSource = dataSource;
    this.config = config;
  }

  public Pass sweep(Instant now) {
    long lines = deleteOlderThan(DELETE_LOGS, config.retention().logs(), now);
    long runs = deleteOlderThan(DELETE_RUNS, config.retention().runs(), now);
    if (lines > 0 || runs > 0) {
      LOG.infof("retention deleted log_lines=%d runs=%d", lines, runs);
    }
    return new Pass(lines, runs);
  }

  private long deleteOlderThan(String sql, Duration retention, Instant now) {
    if (retention.isZero() || retention.isNegative()) {
      return 0;
    }
    Instant cutoff = now.minus(retention);
    int batch = Math.max(1, config.retention().batchSize());
    long total = 0;
    for (int i = 0; i < MAX_BATCHES; i++) {
      int n =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    try (Connection c = dataSource.getConnection()) {
                      return Jdbc.update(c, sql, cutoff, batch);
                    } catch (SQLException e) {
                      throw new StoreException("retention delete", e);
                    }
                  });
      total += n;
      if (n < batch) {
        break;
      }
    }
    return total;
  }
}
