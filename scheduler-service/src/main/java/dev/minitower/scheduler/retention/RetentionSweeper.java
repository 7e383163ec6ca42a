package dev.minitower.scheduler.retention;

import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.store.retention.RetentionStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
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

  /** What one pass deleted. */
  public record Pass(long logLines, long runs) {}

  /** One batch of deletes: cutoff, limit; answers how many. */
  private interface Delete {
    int batch(Instant cutoff, int limit);
  }

  private final RetentionStore store;
  private final SchedulerConfig config;

  RetentionSweeper(RetentionStore store, SchedulerConfig config) {
    this.store = store;
    this.config = config;
  }

  public Pass sweep(Instant now) {
    long lines = deleteOlderThan(store::deleteLogLines, config.retention().logs(), now);
    long runs = deleteOlderThan(store::deleteRuns, config.retention().runs(), now);
    if (lines > 0 || runs > 0) {
      LOG.infof("retention deleted log_lines=%d runs=%d", lines, runs);
    }
    return new Pass(lines, runs);
  }

  private long deleteOlderThan(Delete delete, Duration retention, Instant now) {
    if (retention.isZero() || retention.isNegative()) {
      return 0;
    }
    Instant cutoff = now.minus(retention);
    int batch = config.retention().batchSize();
    long total = 0;
    for (int i = 0; i < MAX_BATCHES; i++) {
      int n = QuarkusTransaction.requiringNew().call(() -> delete.batch(cutoff, batch));
      total += n;
      if (n < batch) {
        break;
      }
    }
    return total;
  }
}
