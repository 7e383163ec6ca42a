package dev.minitower.scheduler.schedules;

import dev.minitower.model.schedule.CronSchedule;
import dev.minitower.model.schema.InputValidator;
import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.scheduler.schedules.ScheduleStore.Schedule;
import dev.minitower.store.runs.RunLifecycle;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunQueries;
import dev.minitower.store.runs.RunRecords.CreatedRun;
import dev.minitower.store.runs.RunRecords.NewRun;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Fires due cron ticks, exactly once across replicas: each schedule is handled in its own
 * transaction that locks its row ({@code SKIP LOCKED}), records every tick in {@code
 * schedule_ticks} first (the primary key turns a second recording into a no-op) and creates the run
 * through {@link RunLifecycle#create} in the same transaction, then advances {@code next_fire_at}.
 * Ticks missed while no scheduler ran follow the schedule's catch-up policy; a tick whose previous
 * run is still active is skipped under the {@code skip} overlap policy.
 */
@ApplicationScoped
public class ScheduleFirer {
  private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);

  /** Most due ticks enumerated for one schedule in one pass (older ones are not even recorded). */
  static final int SCAN_CAP = 10_000;

  /** Most skipped ticks recorded for one schedule in one pass (the most recent are kept). */
  static final int RECORD_CAP = 1_000;

  private static final int MAX_SCHEDULES_PER_PASS = 10_000;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** What one pass did. */
  public record Pass(int fired, int skipped, int failed) {}

  /** One tick's decision. */
  private record Tick(Instant at, String skipReason) {}

  private record Handled(int fired, int skipped, int failed, List<String[]> created) {}

  private final ScheduleStore store;
  private final RunQueries runs;
  private final RunLifecycle transitions;
  private final RunMetrics metrics;
  private final SchedulerConfig config;

  ScheduleFirer(
      ScheduleStore store,
      RunQueries runs,
      RunLifecycle transitions,
      RunMetrics metrics,
      SchedulerConfig config) {
    this.store = store;
    this.runs = runs;
    this.transitions = transitions;
    this.metrics = metrics;
    this.config = config;
  }

  /** Handles every schedule due at {@code now}. */
  public Pass fireDue(Instant now) {
    initialiseUnset(now);
    int fired = 0;
    int skipped = 0;
    int failed = 0;
    for (int i = 0; i < MAX_SCHEDULES_PER_PASS; i++) {
      AtomicReference<Schedule> current = new AtomicReference<>();
      Handled h;
      try {
        h =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> {
                      List<Schedule> due = store.lockDue(now, 1);
                      if (due.isEmpty()) {
                        return null;
                      }
                      current.set(due.get(0));
                      return handle(due.get(0), now);
                    });
      } catch (RuntimeException e) {
        Schedule s = current.get();
        if (s == null) {
          throw e;
        }
        LOG.errorf(e, "schedule firing error schedule_id=%d error=%s", s.id(), e.getMessage());
        recordFailure(s, now, e);
        failed++;
        continue;
      }
      if (h == null) {
        break;
      }
      fired += h.fired();
      skipped += h.skipped();
      failed += h.failed();
      h.created().forEach(slugs -> metrics.created(slugs[0], slugs[1]));
    }
    if (fired + skipped + failed > 0) {
      LOG.infof("schedules processed fired=%d skipped=%d failed=%d", fired, skipped, failed);
    }
    return new Pass(fired, skipped, failed);
  }

  /** Enabled schedules without a next tick (written by SQL, or re-enabled) get one. */
  private void initialiseUnset(Instant now) {
    int batch = config.schedules().batchSize();
    for (int i = 0; i < 100; i++) {
      int n =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    List<Schedule> unset = store.lockUnset(batch);
                    for (Schedule s : unset) {
                      Instant next = null;
                      try {
                        next = CronSchedule.of(s.cron(), s.timezone()).nextAfter(now).orElse(null);
                      } catch (IllegalArgumentException e) {
                        LOG.warnf("schedule has an invalid cron schedule_id=%d", s.id());
                      }
                      if (next != null) {
                        store.advance(s.id(), next, null, now);
                      }
                    }
                    return unset.size();
                  });
      if (n < batch) {
        return;
      }
    }
  }

  private Handled handle(Schedule s, Instant now) {
    CronSchedule cron;
    try {
      cron = CronSchedule.of(s.cron(), s.timezone());
    } catch (IllegalArgumentException e) {
      store.insertTick(s.id(), s.nextFireAt(), "failed", e.getMessage(), now);
      store.advance(s.id(), null, null, now);
      return new Handled(0, 0, 1, List.of());
    }
    List<Instant> due = new ArrayList<>();
    Optional<Instant> t = Optional.of(s.nextFireAt());
    while (t.isPresent() && !t.get().isAfter(now) && due.size() < SCAN_CAP) {
      due.add(t.get());
      t = cron.nextAfter(t.get());
    }
    Instant next =
        t.isPresent() && t.get().isAfter(now) ? t.get() : cron.nextAfter(now).orElse(null);

    List<Tick> plan = plan(s, due, now);
    int fired = 0;
    int skipped = 0;
    int failed = 0;
    Instant lastFired = null;
    List<String[]> created = new ArrayList<>();
    for (Tick tick : plan) {
      String reason = tick.skipReason();
      if (reason == null
          && "skip".equals(s.overlapPolicy())
          && runs.hasActiveRunOfSchedule(s.id())) {
        reason = "overlap: a run of this schedule is still active";
      }
      if (reason != null) {
        if (store.insertTick(s.id(), tick.at(), "skipped", reason, now)) {
          skipped++;
        }
        continue;
      }
      switch (fire(s, tick.at(), now, created)) {
        case FIRED -> {
          fired++;
          lastFired = tick.at();
        }
        case FAILED -> failed++;
        case DUPLICATE -> {}
      }
    }
    store.advance(s.id(), next, lastFired, now);
    return new Handled(fired, skipped, failed, created);
  }

  /** Which due ticks fire and which are skipped, oldest first (catch-up policy). */
  private List<Tick> plan(Schedule s, List<Instant> due, Instant now) {
    Instant cutoff = now.minus(config.schedules().misfireGrace());
    List<Instant> missed = due.stream().filter(d -> d.isBefore(cutoff)).toList();
    List<Instant> onTime = due.stream().filter(d -> !d.isBefore(cutoff)).toList();
    List<Tick> plan = new ArrayList<>();
    int firstRecorded = Math.max(0, missed.size() - RECORD_CAP);
    int cap = Math.max(1, s.catchupMax());
    for (int i = firstRecorded; i < missed.size(); i++) {
      Instant m = missed.get(i);
      boolean latest = i == missed.size() - 1;
      String reason =
          switch (s.catchupPolicy()) {
            case "last" -> latest ? null : "missed: catch-up policy last fires only the latest";
            case "all" ->
                i >= missed.size() - cap ? null : "missed: beyond the catch-up cap of " + cap;
            default -> "missed: catch-up policy none";
          };
      plan.add(new Tick(m, reason));
    }
    onTime.forEach(o -> plan.add(new Tick(o, null)));
    return plan;
  }

  private enum FireOutcome {
    FIRED,
    FAILED,
    DUPLICATE
  }

  private FireOutcome fire(Schedule s, Instant tick, Instant now, List<String[]> created) {
    Optional<Long> version = store.versionId(s.appId(), s.versionNo());
    Optional<Long> environment = store.environmentId(s.teamId(), s.environment());
    String problem =
        version.isEmpty()
            ? (s.versionNo() == null
                ? "app has no version"
                : "version " + s.versionNo() + " not found")
            : environment.isEmpty() ? "environment " + s.environment() + " not found" : null;
    if (problem == null) {
      problem = inputProblem(s, version.get());
    }
    if (problem != null) {
      return store.insertTick(s.id(), tick, "failed", problem, now)
          ? FireOutcome.FAILED
          : FireOutcome.DUPLICATE;
    }
    if (!store.insertTick(s.id(), tick, "fired", null, now)) {
      return FireOutcome.DUPLICATE;
    }
    CreatedRun run =
        transitions.create(
            new NewRun(
                s.teamId(),
                s.appId(),
                version.get(),
                environment.get(),
                s.environment(),
                s.inputJson(),
                s.priority(),
                s.maxRetries(),
                false,
                "schedule-" + s.id() + "-" + tick.getEpochSecond(),
                null,
                s.id()));
    store.setTickRun(s.id(), tick, run.runId());
    if (!run.replayed()) {
      store.slugs(s.appId()).ifPresent(created::add);
    }
    return FireOutcome.FIRED;
  }

  /**
   * The schedule's input against the schema of the version this tick would run (a newer version may
   * have changed it since the schedule was saved): a run the API would refuse is not created.
   */
  private String inputProblem(Schedule s, long versionId) {
    Optional<String> schema = store.paramsSchema(versionId);
    if (schema.isEmpty()) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode input =
          s.inputJson() == null ? JSON.createObjectNode() : JSON.readTree(s.inputJson());
      return InputValidator.validate(JSON.readTree(schema.get()), input)
          .map(msg -> "input does not match the schema of the version to run: " + msg)
          .orElse(null);
    } catch (java.io.IOException e) {
      return "input or schema unreadable: " + e.getMessage();
    }
  }

  /** A schedule whose handling threw: record its due tick as failed and move on. */
  private void recordFailure(Schedule s, Instant now, RuntimeException error) {
    try {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                String reason = String.valueOf(error.getMessage());
                store.insertTick(
                    s.id(),
                    s.nextFireAt(),
                    "failed",
                    reason.length() > 500 ? reason.substring(0, 500) : reason,
                    now);
                Instant next = null;
                try {
                  next = CronSchedule.of(s.cron(), s.timezone()).nextAfter(now).orElse(null);
                } catch (IllegalArgumentException e) {
                  // stays null: the schedule stops until it is fixed
                }
                store.advance(s.id(), next, null, now);
              });
    } catch (RuntimeException e) {
      LOG.errorf(e, "schedule failure could not be recorded schedule_id=%d", s.id());
    }
  }
}
