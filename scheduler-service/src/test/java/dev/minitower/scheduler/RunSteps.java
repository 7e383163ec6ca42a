package dev.minitower.scheduler;

import dev.minitower.platform.security.Secrets;
import dev.minitower.store.runs.AttemptTransitions;
import dev.minitower.store.runs.RunLifecycle;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.NewRun;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Drives runs through their lifecycle with run-store's transitions, one transaction per step. */
@ApplicationScoped
public class RunSteps {
  public static final Duration TTL = Duration.ofSeconds(60);

  /** A lease as the runner holds it. */
  public record Lease(long runId, long runnerId, String token, LeaseGrant grant) {
    public LeaseRef ref() {
      return new LeaseRef(runId, runnerId, Secrets.sha256Hex(token));
    }
  }

  private final AttemptTransitions transitions;
  private final RunLifecycle lifecycle;

  RunSteps(AttemptTransitions transitions, RunLifecycle lifecycle) {
    this.transitions = transitions;
    this.lifecycle = lifecycle;
  }

  public long create(DbFixtures.App app, int maxRetries, boolean retryOnFailure) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                lifecycle
                    .create(
                        new NewRun(
                            app.teamId(),
                            app.appId(),
                            app.versionId(),
                            app.envId(),
                            app.env(),
                            null,
                            0,
                            maxRetries,
                            retryOnFailure,
                            null,
                            null,
                            null))
                    .runId());
  }

  public Optional<Lease> lease(long runnerId, String env, int maxConcurrent) {
    String token = Secrets.newToken("");
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                transitions
                    .lease(
                        new RunnerRef(runnerId, null, env, maxConcurrent),
                        Secrets.sha256Hex(token),
                        TTL)
                    .map(g -> new Lease(g.runId(), runnerId, token, g)));
  }

  public void start(Lease lease) {
    QuarkusTransaction.requiringNew().run(() -> transitions.start(lease.ref()));
  }

  public void logs(Lease lease, int lines) {
    List<AttemptTransitions.LogLine> batch = new ArrayList<>();
    for (int i = 1; i <= lines; i++) {
      batch.add(new AttemptTransitions.LogLine(i, "stdout", "line " + i, Instant.now()));
    }
    QuarkusTransaction.requiringNew().run(() -> transitions.appendLogs(lease.ref(), batch));
  }

  public void complete(Lease lease, String status, Integer exitCode) {
    QuarkusTransaction.requiringNew()
        .run(() -> transitions.complete(lease.ref(), new RunResult(status, exitCode, null)));
  }

  public void cancel(long teamId, long runId) {
    QuarkusTransaction.requiringNew().run(() -> lifecycle.cancel(teamId, runId));
  }
}
