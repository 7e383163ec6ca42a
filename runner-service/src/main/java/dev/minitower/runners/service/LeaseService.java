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
import java.util.ArrayList;
import java.util.List;
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
    return leaseNow(runner, 1, false).stream().findFirst();
  }

  /** Tries once, now, for up to {@code max} runs, started when {@code start} (blocking). */
  public List<Granted> leaseNow(RunnerPrincipal runner, int max, boolean start) {
    List<String> tokens = new ArrayList<>(max);
    List<String> hashes = new ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      String token = Secrets.newToken("");
      tokens.add(token);
      hashes.add(Secrets.sha256Hex(token));
    }
    List<LeaseGrant> grants =
        QuarkusTransaction.requiringNew()
            .call(() -> transitions.leaseBatch(runner.ref(), hashes, config.leaseTtl(), start));
    List<Granted> out = new ArrayList<>(grants.size());
    for (int i = 0; i < grants.size(); i++) {
      metrics.leased(grants.get(i).environment());
      out.add(new Granted(grants.get(i), tokens.get(i)));
    }
    return out;
  }

  /**
   * Leases now or within {@code wait} (capped by the configured maximum); stops waiting, without
   * leasing, once {@code clientGone} says the caller disconnected.
   */
  public CompletionStage<Optional<Granted>> lease(
      RunnerPrincipal runner, Duration wait, BooleanSupplier clientGone) {
    return lease(runner, wait, clientGone, 1, false)
        .thenApply(granted -> granted.stream().findFirst());
  }

  /** As {@link #lease(RunnerPrincipal, Duration, BooleanSupplier)}, for up to {@code max} runs. */
  public CompletionStage<List<Granted>> lease(
      RunnerPrincipal runner, Duration wait, BooleanSupplier clientGone, int max, boolean start) {
    Duration capped = wait.compareTo(config.leaseMaxWait()) > 0 ? config.leaseMaxWait() : wait;
    if (capped.isZero() || capped.isNegative()) {
      return CompletableFuture.completedFuture(leaseNow(runner, max, start));
    }
    return attempt(runner, System.nanoTime() + capped.toNanos(), clientGone, max, start);
  }

  /**
   * One claim of a long poll. The wake-up is registered <em>before</em> the claim: a run queued
   * between a failed claim and the wait would otherwise wake nobody until the next re-check.
   */
  private CompletionStage<List<Granted>> attempt(
      RunnerPrincipal runner, long deadline, BooleanSupplier clientGone, int max, boolean start) {
    CompletableFuture<Void> wake = notifications.nextQueued(runner.environment());
    List<Granted> granted;
    try {
      granted = leaseNow(runner, max, start);
    } catch (RuntimeException e) {
      wake.complete(null);
      throw e;
    }
    long remaining = deadline - System.nanoTime();
    if (!granted.isEmpty() || remaining <= 0 || clientGone.getAsBoolean()) {
      wake.complete(null);
      return CompletableFuture.completedFuture(granted);
    }
    long slice = Math.min(remaining, config.leaseRecheckInterval().toNanos());
    return wake.completeOnTimeout(null, slice, TimeUnit.NANOSECONDS)
        .thenComposeAsync(
            ignored ->
                clientGone.getAsBoolean()
                    ? CompletableFuture.completedFuture(List.<Granted>of())
                    : attempt(runner, deadline, clientGone, max, start),
            executor);
  }
}
