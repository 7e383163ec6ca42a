package dev.minitower.runners.service;

import dev.minitower.platform.security.Secrets;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.runners.lease.QueueNotifications;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunTransitions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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

  /** A granted lease and the raw lease token (shown once). */
  public record Granted(LeaseGrant grant, String leaseToken) {}

  private final RunTransitions transitions;
  private final RunMetrics metrics;
  private final QueueNotifications notifications;
  private final RunnerServiceConfig config;
  private final ManagedExecutor executor;

  LeaseService(
      RunTransitions transitions,
      RunMetrics metrics,
      QueueNotifications notifications,
      RunnerServiceConfig config,
      ManagedExecutor executor) {
    this.transitions = transitions;
    this.metrics = metrics;
    this.notifications = notifications;
    this.config = config;
    this.executor = executor;
  }

  /** Tries once, now (blocking; call on a worker thread). */
  public Optional<Granted> leaseNow(RunnerPrincipal runner) {
    String token = Secrets.newToken("");
    Optional<LeaseGrant> grant =
        QuarkusTransaction.requiringNew()
            .call(
                () -> transitions.lease(runner.ref(), Secrets.sha256Hex(token), config.leaseTtl()));
    grant.ifPresent(g -> metrics.leased(g.environment()));
    return grant.map(g -> new Granted(g, token));
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
