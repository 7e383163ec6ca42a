package dev.minitower.runners.service;

import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.wire.WireText;
import dev.minitower.model.wire.WireTime;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.store.runs.AttemptTransitions;
import dev.minitower.store.runs.AttemptTransitions.Completed;
import dev.minitower.store.runs.AttemptTransitions.LogLine;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunRecords.AttemptState;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRecords.RunResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The calls a runner makes on a leased run; each is one short transaction in {@link
 * AttemptTransitions}.
 */
@ApplicationScoped
public class AttemptService {
  private static final Set<String> RESULT_STATUSES = Set.of("completed", "failed", "cancelled");

  private final AttemptTransitions transitions;
  private final RunMetrics metrics;
  private final RunnerServiceConfig config;
  private final Clock clock;
  private final LeaseService leases;

  AttemptService(
      AttemptTransitions transitions,
      RunMetrics metrics,
      RunnerServiceConfig config,
      Clock clock,
      LeaseService leases) {
    this.leases = leases;
    this.transitions = transitions;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  public static LeaseRef ref(RunnerPrincipal runner, long runId, String leaseToken) {
    return new LeaseRef(runId, runner.id(), Secrets.sha256Hex(leaseToken));
  }

  public AttemptState start(LeaseRef ref) {
    return QuarkusTransaction.requiringNew().call(() -> transitions.start(ref));
  }

  public AttemptState heartbeat(LeaseRef ref) {
    return QuarkusTransaction.requiringNew()
        .call(() -> transitions.heartbeat(ref, config.leaseTtl()));
  }

  /** Fails with 410 unless the lease is valid now (checked before a body is parsed). */
  public void requireLive(LeaseRef ref) {
    QuarkusTransaction.requiringNew().call(() -> transitions.requireLive(ref));
  }

  /**
   * Validates the whole batch first (all or nothing), then stores it idempotently. An empty batch
   * only checks the lease.
   */
  public int appendLogs(LeaseRef ref, List<LogEntry> entries) {
    if (entries == null || entries.isEmpty()) {
      requireLive(ref);
      return 0;
    }
    List<LogLine> lines = lines(entries);
    return QuarkusTransaction.requiringNew().call(() -> transitions.appendLogs(ref, lines));
  }

  private List<LogLine> lines(List<LogEntry> entries) {
    if (entries.size() > LogEntry.MAX_BATCH) {
      throw ApiException.badRequest("max 100 logs per batch");
    }
    Instant now = clock.instant();
    List<LogLine> lines = new ArrayList<>(entries.size());
    for (LogEntry e : entries) {
      if (e == null) {
        throw ApiException.badRequest("log entries must be objects");
      }
      if (!"stdout".equals(e.stream()) && !"stderr".equals(e.stream())) {
        throw ApiException.badRequest("stream must be stdout or stderr");
      }
      if (e.seq() <= 0) {
        throw ApiException.badRequest("seq must be a positive integer");
      }
      String line = e.line() == null ? "" : e.line();
      if (line.getBytes(StandardCharsets.UTF_8).length > LogEntry.MAX_LINE_BYTES) {
        throw ApiException.badRequest("log line exceeds 8KB");
      }
      line = WireText.clean(line);
      Instant at = WireTime.parseOrNull(e.loggedAt());
      lines.add(new LogLine(e.seq(), e.stream(), line, at == null ? now : at));
    }
    return lines;
  }

  /**
   * Records the result, with its last log lines when it carries some, and claims the runner's next
   * run(s) when it asks for them ({@code next}): one transaction, so a runner that keeps its slots
   * busy makes one call and one commit per run after the first. Empty when no next was asked.
   */
  public Optional<List<LeaseService.Granted>> result(
      RunnerPrincipal runner, LeaseRef ref, ResultRequest request) {
    if (request == null
        || request.status() == null
        || !RESULT_STATUSES.contains(request.status())) {
      throw ApiException.badRequest("status must be completed, failed, or cancelled");
    }
    BatchLeaseRequest next = request.next();
    int max = next == null || next.max() == null ? 1 : next.max();
    if (next != null && (max < 1 || max > BatchLeaseRequest.MAX_LEASES)) {
      throw ApiException.badRequest(
          "next.max must be between 1 and " + BatchLeaseRequest.MAX_LEASES);
    }
    boolean start = next != null && Boolean.TRUE.equals(next.start());
    List<LogLine> lines = request.logs() == null ? List.of() : lines(request.logs());
    RunResult result = new RunResult(request.status(), request.exitCode(), request.errorMessage());
    record Done(Optional<RunEnded> ended, LeaseService.Claimed claimed) {}
    Done done =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  if (next == null) {
                    return new Done(transitions.completeWithLogs(ref, result, lines), null);
                  }
                  // The result, the runner's lock and the claim of its next run(s) in one round
                  // trip; a repeat of a result already stored (its answer was lost) leases nothing.
                  LeaseService.Tokens tokens = leases.tokens(runner, max);
                  Completed completed =
                      transitions.completeAndLease(
                          ref, result, lines, leases.nextClaim(runner, tokens, start));
                  return new Done(
                      completed.ended(), leases.granted(runner, tokens, completed.leased()));
                });
    done.ended().ifPresent(metrics::ended);
    if (done.claimed() == null) {
      return Optional.empty();
    }
    leases.recordMetrics(done.claimed());
    return Optional.of(done.claimed().granted());
  }
}
