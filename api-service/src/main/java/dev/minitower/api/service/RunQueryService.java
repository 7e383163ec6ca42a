package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.AppStore;
import dev.minitower.model.api.Views;
import dev.minitower.platform.error.ApiException;
import dev.minitower.store.runs.RunQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/** Read side of runs: lists, detail, summary, logs and attempts, all scoped by team. */
@ApplicationScoped
public class RunQueryService {
  public static final int RUNS_DEFAULT_LIMIT = 50;
  public static final int RUNS_MAX_LIMIT = 100;
  public static final int LOG_PAGE_LIMIT = 1000;

  static final Set<String> STATUSES =
      Set.of(
          "queued", "leased", "running", "cancelling", "completed", "failed", "cancelled", "dead");

  private final RunQueries runs;
  private final AppService apps;

  public RunQueryService(RunQueries runs, AppService apps) {
    this.runs = runs;
    this.apps = apps;
  }

  public Views.RunList listForApp(Caller caller, String appSlug, Paging paging) {
    AppStore.App app = apps.require(caller, appSlug);
    return new Views.RunList(
        runs.listForApp(caller.teamId(), app.id(), paging.limit(), paging.offset()).stream()
            .map(r -> ViewMapper.run(r, false))
            .toList());
  }

  public Views.RunList listForTeam(Caller caller, String status, String app, Paging paging) {
    String s = status == null ? "" : status.strip();
    if (!s.isEmpty() && !STATUSES.contains(s)) {
      throw ApiException.badRequest("invalid status filter");
    }
    String a = app == null ? "" : app.strip();
    return new Views.RunList(
        runs
            .listForTeam(
                caller.teamId(),
                s.isEmpty() ? null : s,
                a.isEmpty() ? null : a,
                paging.limit(),
                paging.offset())
            .stream()
            .map(r -> ViewMapper.run(r, true))
            .toList());
  }

  public Views.RunView get(Caller caller, long runId) {
    return ViewMapper.run(require(caller, runId), true);
  }

  public Views.RunSummary summary(Caller caller) {
    RunQueries.Summary s = runs.summary(caller.teamId());
    return new Views.RunSummary(s.total(), s.active(), s.queued(), s.terminal());
  }

  /**
   * Log lines of every attempt in (attempt_no, seq) order after the cursor. Without {@code
   * after_attempt}, a positive {@code after_seq} means "in the latest attempt" (the original's
   * meaning, so its clients keep working) and zero means "from the very first line".
   */
  public Views.LogPage logs(Caller caller, long runId, String afterSeq, String afterAttempt) {
    long seq = nonNegative(afterSeq, "after_seq");
    long attemptParam = nonNegative(afterAttempt, "after_attempt");
    RunQueries.RunRow run = require(caller, runId);
    int attempt;
    if (afterAttempt != null && !afterAttempt.isBlank()) {
      attempt = (int) Math.min(attemptParam, Integer.MAX_VALUE);
    } else {
      attempt = seq > 0 ? runs.latestAttemptNo(run.id()) : 0;
    }
    List<RunQueries.LogLine> lines = runs.logsAfter(run.id(), attempt, seq, LOG_PAGE_LIMIT);
    int nextAttempt = attempt;
    long nextSeq = seq;
    if (!lines.isEmpty()) {
      RunQueries.LogLine last = lines.get(lines.size() - 1);
      nextAttempt = last.attemptNo();
      nextSeq = last.seq();
    }
    return new Views.LogPage(
        lines.stream()
            .map(
                l ->
                    new Views.LogView(
                        l.attemptNo(),
                        l.seq(),
                        l.stream(),
                        l.line(),
                        TokenService.format(l.loggedAt())))
            .toList(),
        nextAttempt,
        nextSeq,
        lines.size() == LOG_PAGE_LIMIT);
  }

  public Views.AttemptList attempts(Caller caller, long runId) {
    RunQueries.RunRow run = require(caller, runId);
    return new Views.AttemptList(
        runs.attempts(run.id()).stream()
            .map(
                a ->
                    new Views.AttemptView(
                        a.attemptNo(),
                        a.status(),
                        a.runnerName(),
                        a.exitCode(),
                        a.errorMessage(),
                        TokenService.format(a.startedAt()),
                        TokenService.format(a.finishedAt()),
                        a.secretNames()))
            .toList());
  }

  RunQueries.RunRow require(Caller caller, long runId) {
    return runs.find(caller.teamId(), runId)
        .orElseThrow(() -> ApiException.notFound("run not found"));
  }

  private static long nonNegative(String value, String name) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long v = Long.parseLong(value.strip());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the 400
    }
    throw ApiException.badRequest(name + " must be a non-negative integer");
  }
}
