package dev.minitower.runners.service;

import dev.minitower.platform.security.Secrets;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.runners.lease.LongPoll;
import dev.minitower.runners.lease.QueueNotifications;
import dev.minitower.store.runs.AttemptTransitions;
import dev.minitower.store.runs.AttemptTransitions.NextClaim;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRecords.RunResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
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

  /** The longest a polling runner's {@code last_seen_at} goes without a refresh. */
  private static final Duration TOUCH_AT_MOST = Duration.ofSeconds(5);

  private final AttemptTransitions transitions;
  private final RunMetrics metrics;
  private final QueueNotifications notifications;
  private final RunnerServiceConfig config;
  private final ManagedExecutor executor;
  private final LeaseSecrets secrets;
  private final Counter probedIdle;
  private final Counter claims;

  LeaseService(
      AttemptTransitions transitions,
      RunMetrics metrics,
      QueueNotifications notifications,
      RunnerServiceConfig config,
      ManagedExecutor executor,
      LeaseSecrets secrets,
      MeterRegistry meters) {
    this.secrets = secrets;
    this.probedIdle = tries(meters, "probe");
    this.claims = tries(meters, "claim");
    this.transitions = transitions;
    this.metrics = metrics;
    this.notifications = notifications;
    this.config = config;
    this.executor = executor;
  }

  /** {@code minitower_lease_tries_total{path}}: tries answered by the look alone, or claimed. */
  private static Counter tries(MeterRegistry meters, String path) {
    return Counter.builder("minitower.lease.tries")
        .description("Lease tries: answered by the read-only look (nothing leasable) or claimed")
        .tag("path", path)
        .register(meters);
  }

  /**
   * Tries now (blocking; call on a worker thread). A run whose team secrets cannot be resolved is
   * failed in the lease's transaction and the next queued run is tried (at most {@value
   * #MAX_FAILED_AT_LEASE} times).
   */
  public Optional<Granted> leaseNow(RunnerPrincipal runner) {
    return leaseNow(runner, 1, false).stream().findFirst();
  }

  /**
   * Tries now, for up to {@code max} runs, started when {@code start} (blocking). A run whose team
   * secrets cannot be resolved is failed in the lease's own transaction (no runner ever receives
   * it); when that leaves nothing granted the claim is tried again (at most {@value
   * #MAX_FAILED_AT_LEASE} times), so a failing run never delays the next one by a poll.
   */
  public List<Granted> leaseNow(RunnerPrincipal runner, int max, boolean start) {
    return leaseNow(runner, max, start, true);
  }

  /** As {@link #leaseNow(RunnerPrincipal, int, boolean)}; {@code look} = look before the claim. */
  private List<Granted> leaseNow(RunnerPrincipal runner, int max, boolean start, boolean look) {
    for (int round = 0; round < MAX_FAILED_AT_LEASE; round++) {
      Claimed claimed = claim(runner, max, start, look && round == 0);
      if (!claimed.granted().isEmpty() || claimed.failed().isEmpty()) {
        return claimed.granted();
      }
    }
    return List.of();
  }

  /**
   * What one claim did: the runs it leased, the leases handed out, and the runs it failed at lease
   * (team secrets that cannot be resolved) with their end, for the metrics once the transaction has
   * committed.
   */
  public record Claimed(
      List<LeaseGrant> leased, List<Granted> granted, List<Optional<RunEnded>> failed) {
    public static final Claimed NONE = new Claimed(List.of(), List.of(), List.of());
  }

  private Claimed claim(RunnerPrincipal runner, int max, boolean start, boolean look) {
    // A look first, outside any transaction: an empty queue costs one read, not a commit.
    if (look && !transitions.worthClaiming(runner.ref(), touchWithin())) {
      probedIdle.increment();
      return Claimed.NONE;
    }
    claims.increment();
    Claimed claimed = QuarkusTransaction.requiringNew().call(() -> claimIn(runner, max, start));
    recordMetrics(claimed);
    return claimed;
  }

  /**
   * The lease tokens of a claim for up to {@code max} runs, and their hashes. Never more tokens
   * than the runner could hold: a runner of one slot asking for 256 would otherwise cost 256 random
   * tokens and hashes on every poll.
   */
  Tokens tokens(RunnerPrincipal runner, int max) {
    int n = Math.min(max, runner.maxConcurrent());
    List<String> tokens = new ArrayList<>(n);
    List<String> hashes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String token = Secrets.newToken("");
      tokens.add(token);
      hashes.add(Secrets.sha256Hex(token));
    }
    return new Tokens(tokens, hashes);
  }

  /** Lease tokens and their hashes, in the same order. */
  record Tokens(List<String> tokens, List<String> hashes) {}

  /**
   * The claim that rides on a result ({@link AttemptService#result}): up to {@code max} runs,
   * started when {@code start}; a runner without a free slot gets nothing, never a refusal that
   * would roll back the result. No look first: the result's transaction writes and flushes its
   * commit anyway, and in a busy queue (where results ask for their next run) the look would be one
   * more statement per run.
   */
  NextClaim nextClaim(RunnerPrincipal runner, Tokens tokens, boolean start) {
    return new NextClaim(runner.ref(), tokens.hashes(), config.leaseTtl(), start);
  }

  /**
   * How fresh a runner's {@code last_seen_at} must be for a poll to skip the claim when nothing is
   * leasable: a quarter of the lease length (runners unseen for twice that go offline), at most 5
   * s, so the runners list never shows a polling runner as seen longer ago than that.
   */
  private Duration touchWithin() {
    Duration quarter = config.leaseTtl().dividedBy(4);
    return quarter.compareTo(TOUCH_AT_MOST) > 0 ? TOUCH_AT_MOST : quarter;
  }

  /** Counts the claim's leases and failed runs (after its transaction committed). */
  void recordMetrics(Claimed claimed) {
    for (LeaseGrant g : claimed.leased()) {
      metrics.leased(g.environment());
    }
    claimed.failed().forEach(ended -> ended.ifPresent(metrics::ended));
  }

  private Claimed claimIn(RunnerPrincipal runner, int max, boolean start) {
    Tokens tokens = tokens(runner, max);
    return granted(
        runner,
        tokens,
        transitions.leaseBatch(runner.ref(), tokens.hashes(), config.leaseTtl(), start));
  }

  /**
   * Hands out the runs a claim leased with their tokens and team secrets, in the claim's
   * transaction. A run whose team secrets cannot be resolved is failed through the one result
   * transition instead, so no runner ever receives it.
   */
  Claimed granted(RunnerPrincipal runner, Tokens tokens, List<LeaseGrant> leased) {
    if (leased.isEmpty()) {
      return Claimed.NONE;
    }
    List<Optional<RunEnded>> failed = new ArrayList<>();
    List<Granted> out = new ArrayList<>(leased.size());
    for (int i = 0; i < leased.size(); i++) {
      LeaseGrant g = leased.get(i);
      LeaseSecrets.Resolution resolution = secrets.resolve(g);
      if (resolution instanceof LeaseSecrets.Unresolvable u) {
        failed.add(
            transitions.complete(
                new LeaseRef(g.runId(), runner.id(), tokens.hashes().get(i)),
                new RunResult("failed", null, u.message())));
      } else {
        out.add(
            new Granted(g, tokens.tokens().get(i), ((LeaseSecrets.Resolved) resolution).secrets()));
      }
    }
    return new Claimed(leased, out, failed);
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
    String environment = runner.environment();
    boolean teamScoped = runner.teamId() != null;
    return new LongPoll<List<Granted>>(
            () -> notifications.nextQueued(environment, teamScoped),
            // A platform runner woken by a queued-run notification claims at once: the wake-up
            // went to it alone and a run was just queued, so the look would only add a round trip
            // to the dispatch. A wake-up handed on looks first (it most often finds nothing), and
            // so do team runners, which are all woken.
            notified -> leaseAndHandOn(runner, max, start, !notified || teamScoped),
            granted -> !granted.isEmpty(),
            List.of(),
            clientGone,
            config.leaseRecheckInterval(),
            executor,
            teamScoped ? () -> {} : () -> notifications.wakeOne(environment))
        .run(capped);
  }

  /**
   * One try of a long poll. A queued-run notification wakes one waiting platform runner ({@link
   * QueueNotifications}): when it leased something (more may be queued) or was refused, it hands
   * the wake-up on to the next one; finding nothing ends the chain. A team's runners are all woken
   * and hand nothing on.
   */
  private List<Granted> leaseAndHandOn(
      RunnerPrincipal runner, int max, boolean start, boolean look) {
    boolean platform = runner.teamId() == null;
    List<Granted> granted;
    try {
      granted = leaseNow(runner, max, start, look);
    } catch (RuntimeException e) {
      if (platform) {
        notifications.wakeOne(runner.environment());
      }
      throw e;
    }
    if (platform && !granted.isEmpty()) {
      notifications.wakeOne(runner.environment());
    }
    return granted;
  }
}
