package dev.minitower.runners.service;

import dev.minitower.platform.security.Secrets;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.runners.lease.QueueNotifications;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunTransitions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Leasing, with an optional long poll: when nothing is leasable the request waits (without holding
 * a thread) until a run of the runner's environment is queued, then tries again, until its wait is
 * over. A periodic re-check covers runs that become leasable by time (retry backoff).
 */
@ApplicationScoped
public class LeaseService {

  /**
   * A granted lease, the raw lease token (shown once) and the run's team secrets (empty when its
   * version names none).
   */
  public record Granted(LeaseGrant grant, String leaseToken, Map<String, String> secrets) {
    public Granted(LeaseGrant grant, String leaseToken) {
      this(grant, leaseToken, Map.of());
    }

    @Override
    public String toString() {
      return "Granted[run_id=" + grant.runId() + ", secrets=" + secrets.keySet() + "]";
    }
  }

  /** Runs failed at lease (missing secrets) before the next queued run is tried. */
  private static final int MAX_FAILED_AT_LEASE = 5;

  private final RunTransitions transitions;
  private final RunMetrics metrics;
  private final QueueNotifications notifications;
  private final RunnerServiceConfig config;
  private final ManagedExecutor executor;
  private final LeaseSecrets secrets;

  LeaseService(
      RunTransitions transitions,
      RunMetrics metrics,
      QueueNotifications notifications,
      RunnerServiceConfig config,
      ManagedExecutor executor,
      LeaseSecrets secrets) {
    this.secrets = secrets;
    this.transitions = transitions;
    this.metrics = metrics;
    this.notifications = notifications;
    this.config = config;
    this.executor = executor;
  }

  /**
   * Tries now (blocking; call on a worker thread). A run whose team secrets cannot be resolved is
   * failed in the lease's transaction and the next queued run is tried (at most {@value
   * #MAX_FAILED_AT_LEASE} times).
   */
  public Optional<Granted> leaseNow(RunnerPrincipal runner) {
    for (int i = 0; i < MAX_FAILED_AT_LEASE; i++) {
      String token = Secrets.newToken("");
      String hash = Secrets.sha256Hex(token);
      Leased leased =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    Optional<LeaseGrant> grant =
                        transitions.lease(runner.ref(), hash, config.leaseTtl());
                    if (grant.isEmpty()) {
                      return new Leased(null, Map.of(), false, Optional.empty());
                    }
                    LeaseGrant g = grant.get();
                    LeaseSecrets.Resolution resolution = secrets.resolve(g.runId(), g.attemptId());
                    if (resolution instanceof LeaseSecrets.Unresolvable u) {
                      // Fails the run through the one result transition, in the lease's
                      // transaction: no runner ever receives it.
                      return new Leased(
                          g,
                          Map.of(),
                          true,
                          transitions.complete(
                              new LeaseRef(g.runId(), runner.id(), hash),
                              new RunResult("failed", null, u.message())));
                    }
                    return new Leased(
                        g, ((LeaseSecrets.Resolved) resolution).secrets(), false, Optional.empty());
                  });
      if (leased.grant() == null) {
        return Optional.empty();
      }
      metrics.leased(leased.grant().environment());
      if (leased.failed()) {
        leased.ended().ifPresent(metrics::ended);
        continue;
      }
      return Optional.of(new Granted(leased.grant(), token, leased.secrets()));
    }
    return Optional.empty();
  }

  private record Leased(
      LeaseGrant grant, Map<String, String> secrets, boolean failed, Optional<RunEnded> ended) {
    @Override
    public String toString() {
      return "Leased[secrets=" + secrets.keySet() + "]";
    }
  }

  /**
   * Leases now or within {@code wait} (capped by the configured maximum); stops waiting, without
   * leasing, once {@code clientGone} says the caller disconnected.
   */
  public CompletionStage<Optional<Granted>> lease(
      RunnerPrincipal runner, Duration wait, BooleanSupplier clientGone) {
    Duration capped = wait.compareTo(config.leaseMaxWait()) > 0 ? config.leaseMaxWait() : wait;
    long deadline = System.nanoTime() + capped.toNanos();
    Optional<Granted> now = leaseNow(runner);
    if (now.isPresent() || capped.isZero() || capped.isNegative()) {
      return CompletableFuture.completedFuture(now);
    }
    return waitAndRetry(runner, deadline, clientGone);
  }

  private CompletionStage<Optional<Granted>> waitAndRetry(
      RunnerPrincipal runner, long deadline, BooleanSupplier clientGone) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0 || clientGone.getAsBoolean()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    long slice = Math.min(remaining, config.leaseRecheckInterval().toNanos());
    return notifications
        .nextQueued(runner.environment())
        .completeOnTimeout(null, slice, TimeUnit.NANOSECONDS)
        .thenComposeAsync(
            ignored -> {
              if (clientGone.getAsBoolean()) {
                return CompletableFuture.completedFuture(Optional.<Granted>empty());
              }
              Optional<Granted> g = leaseNow(runner);
              return g.isPresent()
                  ? CompletableFuture.completedFuture(g)
                  : waitAndRetry(runner, deadline, clientGone);
            },
            executor);
  }
}
