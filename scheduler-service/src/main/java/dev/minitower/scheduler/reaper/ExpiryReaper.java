package dev.minitower.scheduler.reaper;

import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunReaper;
import dev.minitower.store.runs.RunRecords.ReapOutcome;
import dev.minitower.store.runs.RunRecords.Reaped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Reaps attempts whose lease expired (runs.md §7) through {@link RunReaper#reap}, one transaction
 * per attempt. Safe with any number of scheduler replicas: reap locks the run with {@code SKIP
 * LOCKED} and re-checks the attempt, so a second reaper (or a racing heartbeat or result) makes it
 * answer {@code SKIPPED} instead of acting twice.
 */
@ApplicationScoped
public class ExpiryReaper {
  private static final Logger LOG = Logger.getLogger(ExpiryReaper.class);

  /** Bounds one tick even if every candidate keeps being skipped. */
  private static final int MAX_ROUNDS = 50;

  /** What one pass did. */
  public record Pass(int retried, int dead, int cancelled, int skipped, int errors) {
    public int processed() {
      return retried + dead + cancelled;
    }
  }

  private final RunReaper transitions;
  private final RunMetrics metrics;
  private final SchedulerConfig config;

  ExpiryReaper(RunReaper transitions, RunMetrics metrics, SchedulerConfig config) {
    this.transitions = transitions;
    this.metrics = metrics;
    this.config = config;
  }

  /**
   * Reaps every attempt expired at {@code now}, in batches, while batches come back full and make
   * progress. An error on one attempt is logged and the others go on (it is retried next tick).
   */
  public Pass reapExpired(Instant now) {
    int batch = config.reaperBatchSize();
    Map<ReapOutcome, Integer> counts = new EnumMap<>(ReapOutcome.class);
    int errors = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Long> ids = transitions.expiredAttempts(now, batch);
      int progressed = 0;
      for (long id : ids) {
        try {
          Reaped reaped = QuarkusTransaction.requiringNew().call(() -> transitions.reap(id, now));
          counts.merge(reaped.outcome(), 1, Integer::sum);
          if (reaped.outcome() != ReapOutcome.SKIPPED) {
            metrics.reaped(reaped);
            progressed++;
          }
        } catch (RuntimeException e) {
          errors++;
          LOG.errorf(e, "expiry reaper error attempt_id=%d error=%s", id, e.getMessage());
        }
      }
      if (ids.size() < batch || progressed == 0) {
        break;
      }
    }
    Pass pass =
        new Pass(
            counts.getOrDefault(ReapOutcome.RETRIED, 0),
            counts.getOrDefault(ReapOutcome.DEAD, 0),
            counts.getOrDefault(ReapOutcome.CANCELLED, 0),
            counts.getOrDefault(ReapOutcome.SKIPPED, 0),
            errors);
    if (pass.processed() > 0) {
      LOG.infof(
          "expiry reaper processed attempts count=%d retried=%d dead=%d cancelled=%d",
          pass.processed(), pass.retried(), pass.dead(), pass.cancelled());
    }
    return pass;
  }
}
