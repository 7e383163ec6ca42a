package dev.minitower.scheduler.reaper;

import dev.minitower.scheduler.config.SweepScope;
import dev.minitower.store.runs.RunReaper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Finds the reaper's candidates in this replica's scope (run-store's query, narrowed to the scope's
 * environments when it has some). Candidates are only hints; {@link RunReaper#reap} locks and
 * re-checks each one.
 */
@ApplicationScoped
public class ExpiredAttempts {
  private final RunReaper transitions;
  private final SweepScope scope;

  ExpiredAttempts(RunReaper transitions, SweepScope scope) {
    this.transitions = transitions;
    this.scope = scope;
  }

  public List<Long> find(Instant asOf, int limit) {
    return transitions.expiredAttempts(
        asOf, scope.environments().isEmpty() ? null : scope.sqlArray(), limit);
  }
}
