package dev.minitower.api.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.minitower.api.auth.Caller;
import dev.minitower.api.service.InputSchemas;
import dev.minitower.api.service.RunService;
import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.EnvironmentStore;
import dev.minitower.api.store.VersionStore;
import dev.minitower.model.api.ScheduleRequest;
import dev.minitower.model.api.ScheduleView;
import dev.minitower.model.run.RunInputs;
import dev.minitower.model.schedule.CronSchedule;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Schedule definitions of an app (the firing lives in scheduler-service). Every call is scoped to
 * the caller's team: another team's app or schedule is a 404. {@code next_fire_at} is computed from
 * the cron expression and zone on create and whenever an update touches them or re-enables the
 * schedule; a disabled schedule has none.
 */
@ApplicationScoped
public class ScheduleService {
  static final int MAX_SCHEDULES_LISTED = 1000;
  private static final Set<String> OVERLAP = Set.of("allow", "skip");
  private static final Set<String> CATCHUP = Set.of("none", "last", "all");

  private final ScheduleStore schedules;
  private final AppStore apps;
  private final EnvironmentStore environments;
  private final VersionStore versions;
  private final InputSchemas schemas;
  private final Clock clock;

  ScheduleService(
      ScheduleStore schedules,
      AppStore apps,
      EnvironmentStore environments,
      VersionStore versions,
      InputSchemas schemas,
      Clock clock) {
    this.schedules = schedules;
    this.apps = apps;
    this.environments = environments;
    this.versions = versions;
    this.schemas = schemas;
    this.clock = clock;
  }

  /** The schedule's most recent ticks, newest first: what fired, what was skipped and why. */
  public ScheduleView.TickList ticks(Caller caller, String app, long id, int limit) {
    long appId = appId(caller, app);
    schedules
        .find(caller.teamId(), appId, id, false)
        .orElseThrow(() -> ApiException.notFound("schedule not found"));
    return new ScheduleView.TickList(schedules.ticks(id, limit));
  }

  public ScheduleView.ScheduleList list(Caller caller, String app) {
    long appId = appId(caller, app);
    return new ScheduleView.ScheduleList(
        schedules.list(caller.teamId(), appId, MAX_SCHEDULES_LISTED).stream()
            .map(ScheduleStore.Row::view)
            .toList());
  }

  /** Every schedule of the team (or of one app), next to fire first, with its latest tick. */
  public ScheduleView.TeamScheduleList listForTeam(Caller caller, String app) {
    String slug = app == null || app.isBlank() ? null : app.strip();
    Long appId = slug == null ? null : appId(caller, slug);
    return new ScheduleView.TeamScheduleList(
        schedules.listForTeam(caller.teamId(), appId, MAX_SCHEDULES_LISTED).stream()
            .map(r -> new ScheduleView.WithLastTick(r.row().view(), r.lastTick()))
            .toList());
  }

  public ScheduleView get(Caller caller, String app, long id) {
    long appId = appId(caller, app);
    return schedules
        .find(caller.teamId(), appId, id, false)
        .orElseThrow(() -> ApiException.notFound("schedule not found"))
        .view();
  }

  @Transactional
  public ScheduleView create(Caller caller, String app, ScheduleRequest req) {
    long appId = appId(caller, app);
    if (req.name() == null) {
      throw ApiException.badRequest("name is required");
    }
    ScheduleStore.Row row =
        validate(
            caller,
            appId,
            new ScheduleStore.Row(
                0,
                app,
                req.name(),
                req.cron(),
                req.timezone() == null ? "UTC" : req.timezone(),
                req.environment() == null ? EnvironmentStore.DEFAULT : req.environment(),
                req.versionNo(),
                req.input(),
                req.priority() == null ? 0 : req.priority(),
                req.maxRetries() == null ? 0 : req.maxRetries(),
                req.enabled() == null || req.enabled(),
                req.overlapPolicy() == null ? "allow" : req.overlapPolicy(),
                req.catchupPolicy() == null ? "none" : req.catchupPolicy(),
                req.catchupMax() == null ? 10 : req.catchupMax(),
                null,
                null,
                null,
                null),
            true);
    long id =
        schedules
            .insert(caller.teamId(), appId, row)
            .orElseThrow(() -> ApiException.conflict("schedule name already exists"));
    return schedules.find(caller.teamId(), appId, id, false).orElseThrow().view();
  }

  @Transactional
  public ScheduleView update(Caller caller, String app, long id, ScheduleRequest req) {
    long appId = appId(caller, app);
    ScheduleStore.Row old =
        schedules
            .find(caller.teamId(), appId, id, true)
            .orElseThrow(() -> ApiException.notFound("schedule not found"));
    ScheduleStore.Row merged =
        new ScheduleStore.Row(
            old.id(),
            old.appSlug(),
            req.name() == null ? old.name() : req.name(),
            req.cron() == null ? old.cron() : req.cron(),
            req.timezone() == null ? old.timezone() : req.timezone(),
            req.environment() == null ? old.environment() : req.environment(),
            req.versionNo() == null ? old.versionNo() : req.versionNo(),
            req.input() == null ? old.input() : req.input(),
            req.priority() == null ? old.priority() : req.priority(),
            req.maxRetries() == null ? old.maxRetries() : req.maxRetries(),
            req.enabled() == null ? old.enabled() : req.enabled(),
            req.overlapPolicy() == null ? old.overlapPolicy() : req.overlapPolicy(),
            req.catchupPolicy() == null ? old.catchupPolicy() : req.catchupPolicy(),
            req.catchupMax() == null ? old.catchupMax() : req.catchupMax(),
            old.nextFireAt(),
            old.lastFiredAt(),
            old.createdAt(),
            old.updatedAt());
    boolean timingChanged =
        !merged.cron().equals(old.cron())
            || !merged.timezone().equals(old.timezone())
            || (merged.enabled() && !old.enabled())
            || old.nextFireAt() == null;
    ScheduleStore.Row row = validate(caller, appId, merged, timingChanged);
    if (schedules.nameTaken(appId, row.name(), id)) {
      throw ApiException.conflict("schedule name already exists");
    }
    schedules.update(caller.teamId(), row);
    return schedules.find(caller.teamId(), appId, id, false).orElseThrow().view();
  }

  @Transactional
  public void delete(Caller caller, String app, long id) {
    long appId = appId(caller, app);
    if (!schedules.delete(caller.teamId(), appId, id)) {
      throw ApiException.notFound("schedule not found");
    }
  }

  private long appId(Caller caller, String app) {
    return apps.find(caller.teamId(), app)
        .orElseThrow(() -> ApiException.notFound("app not found"))
        .id();
  }

  /** Checks every field (400 with a clear message) and computes {@code next_fire_at}. */
  private ScheduleStore.Row validate(
      Caller caller, long appId, ScheduleStore.Row r, boolean recomputeNext) {
    if (r.name().isBlank() || r.name().length() > 100) {
      throw ApiException.badRequest("name must be 1 to 100 characters");
    }
    CronSchedule cron = cron(r.cron(), r.timezone());
    if (!OVERLAP.contains(r.overlapPolicy())) {
      throw ApiException.badRequest("overlap_policy must be allow or skip");
    }
    if (!CATCHUP.contains(r.catchupPolicy())) {
      throw ApiException.badRequest("catchup_policy must be none, last or all");
    }
    if (r.catchupMax() < 1 || r.catchupMax() > 1000) {
      throw ApiException.badRequest("catchup_max must be between 1 and 1000");
    }
    if (r.maxRetries() < 0 || r.maxRetries() > 100) {
      throw ApiException.badRequest("max_retries must be between 0 and 100");
    }
    if (r.priority() < RunService.MIN_PRIORITY || r.priority() > RunService.MAX_PRIORITY) {
      // The same bounds as a run's: every fired run must be one the API would have accepted.
      throw ApiException.badRequest(
          "priority must be between "
              + RunService.MIN_PRIORITY
              + " and "
              + RunService.MAX_PRIORITY);
    }
    JsonNode input = r.input();
    if (input != null && !input.isNull() && !input.isObject()) {
      throw ApiException.badRequest("input must be a JSON object");
    }
    JsonBodies.requireFinite(input, "invalid input");
    RunInputs.sizeViolation(input)
        .ifPresent(
            msg -> {
              throw ApiException.badRequest(msg);
            });
    java.util.Optional<VersionStore.Version> version;
    if (r.versionNo() != null) {
      if (r.versionNo() < 1) {
        throw ApiException.badRequest("version_no must be positive");
      }
      version =
          java.util.Optional.of(
              versions
                  .find(appId, r.versionNo())
                  .orElseThrow(
                      () -> ApiException.badRequest("version " + r.versionNo() + " not found")));
    } else {
      version = versions.latest(appId);
    }
    // The input must fit the schema of the version it will run (the pinned one, else today's
    // latest); scheduler-service checks again at fire time, when a newer version may apply.
    if (version.isPresent() && version.get().paramsSchema() != null) {
      JsonNode effective =
          input == null || input.isNull() ? JsonNodeFactory.instance.objectNode() : input;
      schemas
          .violation(version.get().paramsSchema(), effective)
          .ifPresent(
              msg -> {
                throw ApiException.badRequest("input does not match schema: " + msg);
              });
    }
    if (EnvironmentStore.DEFAULT.equals(r.environment())) {
      environments.ensureDefault(caller.teamId());
    } else if (environments.find(caller.teamId(), r.environment()).isEmpty()) {
      throw ApiException.badRequest("environment " + r.environment() + " not found");
    }
    Instant next = r.nextFireAt();
    if (!r.enabled()) {
      next = null;
    } else if (recomputeNext) {
      next =
          cron.nextAfter(clock.instant())
              .orElseThrow(() -> ApiException.badRequest("cron expression never fires"));
    }
    return new ScheduleStore.Row(
        r.id(),
        r.appSlug(),
        r.name().strip(),
        r.cron().trim(),
        cron.zoneId(),
        r.environment(),
        r.versionNo(),
        input == null || input.isNull() ? null : input,
        r.priority(),
        r.maxRetries(),
        r.enabled(),
        r.overlapPolicy(),
        r.catchupPolicy(),
        r.catchupMax(),
        next,
        r.lastFiredAt(),
        r.createdAt(),
        r.updatedAt());
  }

  /** The shared cron parser; its messages become 400 answers. */
  private static CronSchedule cron(String cron, String timezone) {
    if (timezone == null || timezone.isBlank()) {
      throw ApiException.badRequest("invalid timezone: " + timezone);
    }
    try {
      return CronSchedule.of(cron, timezone);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
