package dev.minitower.api.service;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.platform.pg.DatabaseAvailability;
import dev.minitower.store.runs.RunLifecycle;
import dev.minitower.store.runs.RunRecords.CreateOutcome;
import dev.minitower.store.runs.RunRecords.NewRun;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Run creation's group commit: creates that arrive together (validated, each on its own request
 * thread) are inserted by one statement and committed by one transaction, with one outbox write
 * ({@link RunLifecycle#createAll}); an idle service commits each create at once, alone. Each create
 * is answered exactly as it would be alone: its own run number, its own refusal (app gone,
 * idempotency conflict). When a batch's statement fails (e.g. a row it refers to deleted by an
 * operator meanwhile, a lock or statement timeout), its creates are committed again one by one, so
 * only the create at fault fails; when the database is unreachable, every create of the group gets
 * that error at once. See {@link GroupCommit} for the hand-off between request threads.
 *
 * <p>{@code minitower_runs_create_batch_runs} (count, sum, max) shows the creates per transaction.
 */
@ApplicationScoped
public class RunCreates {
  private final RunLifecycle lifecycle;
  private final GroupCommit<NewRun, CreateOutcome> group;

  public RunCreates(RunLifecycle lifecycle, ApiConfig config, MeterRegistry registry) {
    this.lifecycle = lifecycle;
    DistributionSummary sizes =
        DistributionSummary.builder("minitower.runs.create.batch")
            .description("Run creates committed per transaction (group commit)")
            .baseUnit("runs")
            .register(registry);
    this.group =
        new GroupCommit<>(
            this::batch,
            this::alone,
            config.runCreateBatchSize(),
            config.runCreateConcurrency(),
            sizes::record);
  }

  /**
   * Creates {@code run} in a transaction of its own or shared with other creates; must be called
   * outside any transaction. The outcome has committed when this returns.
   */
  public CreateOutcome create(NewRun run) {
    return group.submit(run);
  }

  private List<CreateOutcome> batch(List<NewRun> runs) {
    boolean[] worked = {false};
    try {
      return QuarkusTransaction.requiringNew()
          .call(
              () -> {
                List<CreateOutcome> outcomes = lifecycle.createAll(runs);
                worked[0] = true;
                return outcomes;
              });
    } catch (RuntimeException e) {
      // Nothing was committed before createAll returned: each create again alone, so that only
      // the one at fault fails. Not when the database is unreachable: each would wait out the
      // pool's timeout in turn, on this one thread, and fail the same way.
      if (!worked[0] && !DatabaseAvailability.isUnavailable(e)) {
        throw new GroupCommit.RetryAlone(e);
      }
      throw e;
    }
  }

  private CreateOutcome alone(NewRun run) {
    return QuarkusTransaction.requiringNew().call(() -> lifecycle.createAll(List.of(run)).get(0));
  }
}
