package dev.minitower.api.stats;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.EnvironmentStore;
import dev.minitower.model.api.StatsViews;
import dev.minitower.model.wire.WireTime;
import dev.minitower.platform.error.ApiException;
import dev.minitower.store.runners.RunnerQueries;
import dev.minitower.store.runners.RunnerQueries.RunnerView;
import dev.minitower.store.runs.RunQueries;
import dev.minitower.store.stats.RunStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Aggregates for the web UI's charts. Parameters are validated here (400 with a message naming the
 * parameter) and every range is bounded, so no request can make PostgreSQL scan a team's whole
 * history: an hour bucket looks back at most 8 days (192 buckets), a day bucket at most 92 days.
 */
@ApplicationScoped
public class StatsService {
  /** Bucket name → its width (a PostgreSQL interval), default look-back and longest look-back. */
  record BucketKind(String interval, Duration defaultRange, Duration maxRange) {}

  static final Map<String, BucketKind> BUCKETS =
      Map.of(
          "hour", new BucketKind("1 hour", Duration.ofHours(24), Duration.ofDays(8)),
          "day", new BucketKind("24 hours", Duration.ofDays(30), Duration.ofDays(92)));

  static final Duration SLOWEST_DEFAULT_RANGE = Duration.ofDays(7);
  static final Duration SLOWEST_MAX_RANGE = Duration.ofDays(92);
  static final int MAX_RUNNERS = 1000;

  private final RunStats store;
  private final AppStore apps;
  private final RunQueries runs;
  private final RunnerQueries runners;
  private final EnvironmentStore environments;
  private final Clock clock;

  StatsService(
      RunStats store,
      AppStore apps,
      RunQueries runs,
      RunnerQueries runners,
      EnvironmentStore environments,
      Clock clock) {
    this.store = store;
    this.apps = apps;
    this.runs = runs;
    this.runners = runners;
    this.environments = environments;
    this.clock = clock;
  }

  /** Runs per bucket for the team, or for one of its apps when {@code app} is given. */
  public StatsViews.RunStats runStats(Caller caller, String app, String bucket, String since) {
    String name = bucket == null || bucket.isBlank() ? "hour" : bucket.strip();
    BucketKind kind = BUCKETS.get(name);
    if (kind == null) {
      throw ApiException.badRequest("bucket must be hour or day");
    }
    Instant from = since(since, kind.defaultRange(), kind.maxRange(), "bucket=" + name);
    Long appId = app == null ? null : appId(caller, app);
    List<StatsViews.BucketView> buckets =
        store.buckets(caller.teamId(), appId, utc(from), kind.interval()).stream()
            .map(
                b ->
                    view(
                        WireTime.format(b.start().toInstant()),
                        b.queued(),
                        b.active(),
                        b.completed(),
                        b.failed(),
                        b.cancelled(),
                        b.dead(),
                        b.p50(),
                        b.p95()))
            .toList();
    return new StatsViews.RunStats(app, name, WireTime.format(from), totals(buckets), buckets);
  }

  /** The team's apps with the slowest runs (p95 duration) among runs queued since {@code since}. */
  public StatsViews.SlowestApps slowestApps(Caller caller, String since, String limit) {
    Instant from = since(since, SLOWEST_DEFAULT_RANGE, SLOWEST_MAX_RANGE, "the slowest apps");
    int n = intParam(limit, "limit", 5, 1, 50);
    return new StatsViews.SlowestApps(
        WireTime.format(from),
        store.slowestApps(caller.teamId(), utc(from), n).stream()
            .map(
                a ->
                    new StatsViews.AppDurationView(
                        a.app(), a.runs(), a.failed(), a.p50(), a.p95(), a.max()))
            .toList());
  }

  /** One point per recent finished run of the app: its duration and outcome. */
  public StatsViews.DurationList durations(Caller caller, String app, String limit) {
    int n = intParam(limit, "limit", 100, 1, 500);
    long appId = appId(caller, app);
    return new StatsViews.DurationList(
        store.durations(caller.teamId(), appId, n).stream()
            .map(
                p ->
                    new StatsViews.DurationPointView(
                        p.runId(),
                        p.runNo(),
                        p.status(),
                        format(p.queuedAt()),
                        format(p.startedAt()),
                        format(p.finishedAt()),
                        p.seconds()))
            .toList());
  }

  /** The run's attempts as spans: queued → leased → started → finished. */
  public StatsViews.RunTimeline timeline(Caller caller, long runId) {
    RunQueries.RunRow run =
        runs.find(caller.teamId(), runId).orElseThrow(() -> ApiException.notFound("run not found"));
    return new StatsViews.RunTimeline(
        run.id(),
        run.status(),
        format(run.queuedAt()),
        format(run.finishedAt()),
        store.attempts(run.id()).stream()
            .map(
                a ->
                    new StatsViews.AttemptSpanView(
                        a.attemptNo(),
                        a.status(),
                        a.runnerName(),
                        format(a.queuedAt()),
                        format(a.leasedAt()),
                        format(a.startedAt()),
                        format(a.finishedAt())))
            .toList());
  }

  /** Environments with their queue depth, online runners and (admins only) the runner list. */
  @Transactional
  public StatsViews.EnvironmentOverviewList environments(Caller caller) {
    environments.ensureDefault(caller.teamId());
    List<RunnerView> visible = runners.visibleTo(caller.teamId(), MAX_RUNNERS);
    return new StatsViews.EnvironmentOverviewList(
        store.environmentLoad(caller.teamId()).stream()
            .map(
                e -> {
                  List<RunnerView> serving =
                      visible.stream().filter(r -> r.environment().equals(e.name())).toList();
                  return new StatsViews.EnvironmentOverview(
                      e.id(),
                      e.name(),
                      e.isDefault(),
                      e.queued(),
                      e.active(),
                      format(e.oldest()),
                      serving.stream().filter(r -> "online".equals(r.status())).count(),
                      caller.isAdmin()
                          ? serving.stream()
                              .map(
                                  r ->
                                      new StatsViews.EnvironmentRunnerView(
                                          r.id(),
                                          r.name(),
                                          r.status(),
                                          format(r.lastSeenAt()),
                                          r.teamScoped() ? "team" : "platform"))
                              .toList()
                          : null);
                })
            .toList());
  }

  private long appId(Caller caller, String app) {
    return apps.find(caller.teamId(), app)
        .orElseThrow(() -> ApiException.notFound("app not found"))
        .id();
  }

  /** {@code since} as an instant: absent → now − default; in the future or too far back → 400. */
  private Instant since(String raw, Duration defaultRange, Duration maxRange, String what) {
    Instant now = clock.instant();
    if (raw == null || raw.isBlank()) {
      return now.minus(defaultRange);
    }
    Instant since;
    try {
      since = OffsetDateTime.parse(raw.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "since must be an RFC 3339 timestamp such as 2025-01-02T03:04:05Z");
    }
    if (since.isAfter(now)) {
      throw ApiException.badRequest("since must not be in the future");
    }
    if (since.isBefore(now.minus(maxRange))) {
      throw ApiException.badRequest(
          "since must be within the last " + maxRange.toDays() + " days for " + what);
    }
    return since;
  }

  static int intParam(String raw, String name, int dflt, int min, int max) {
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the 400 below
    }
    throw ApiException.badRequest(name + " must be an integer between " + min + " and " + max);
  }

  private static StatsViews.BucketView totals(List<StatsViews.BucketView> buckets) {
    long queued = 0;
    long active = 0;
    long completed = 0;
    long failed = 0;
    long cancelled = 0;
    long dead = 0;
    for (StatsViews.BucketView b : buckets) {
      queued += b.queued();
      active += b.active();
      completed += b.completed();
      failed += b.failed();
      cancelled += b.cancelled();
      dead += b.dead();
    }
    // Percentiles do not add up across buckets; the totals row carries counts only.
    return view(null, queued, active, completed, failed, cancelled, dead, null, null);
  }

  private static StatsViews.BucketView view(
      String start,
      long queued,
      long active,
      long completed,
      long failed,
      long cancelled,
      long dead,
      Double p50,
      Double p95) {
    long ended = completed + failed + dead;
    return new StatsViews.BucketView(
        start,
        queued + active + completed + failed + cancelled + dead,
        queued,
        active,
        completed,
        failed,
        cancelled,
        dead,
        ended == 0 ? null : (double) completed / ended,
        p50,
        p95);
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static String format(OffsetDateTime t) {
    return t == null ? null : WireTime.format(t.toInstant());
  }
}
