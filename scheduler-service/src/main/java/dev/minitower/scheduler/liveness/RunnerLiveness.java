package dev.minitower.scheduler.liveness;

import dev.minitower.model.event.RunnerEventData;
import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.store.runners.RunnerStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
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

  private final RunnerStore runners;
  private final SchedulerConfig config;

  RunnerLiveness(RunnerStore runners, SchedulerConfig config) {
    this.runners = runners;
    this.config = config;
  }

  /** Marks stale runners offline; answers how many. {@code now} null = the database's clock. */
  public int markStaleOffline(Instant now) {
    Duration stale = config.leaseTtl().multipliedBy(2);
    int total = 0;
    while (true) {
      List<RunnerEventData> marked =
          QuarkusTransaction.requiringNew().call(() -> runners.markStaleOffline(now, stale, BATCH));
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
    int total = 0;
    while (true) {
      List<RunnerEventData> pruned =
          QuarkusTransaction.requiringNew().call(() -> runners.pruneOffline(now, after, BATCH));
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
}
