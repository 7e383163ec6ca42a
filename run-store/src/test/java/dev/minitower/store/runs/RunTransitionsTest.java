package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.error.Refusal.Reason;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.runs.AttemptTransitions.LogLine;
import dev.minitower.store.runs.RunRecords.AttemptState;
import dev.minitower.store.runs.RunRecords.CreatedRun;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.NewRun;
import dev.minitower.store.runs.RunRecords.ReapOutcome;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunTransitionsTest {
  private static final Duration TTL = Duration.ofSeconds(60);

  @Inject AttemptTransitions transitions;
  @Inject RunLifecycle lifecycle;
  @Inject RunQueries runQueries;
  @Inject RunReaper reaper;
  @Inject DbFixtures fixtures;

  private DbFixtures.App app;
  private String env;

  @BeforeEach
  void freshAppInOwnEnvironment() throws Exception {
    env = "env-" + UUID.randomUUID().toString().substring(0, 8);
    app = fixtures.app(env);
  }

  private static <T> T tx(Supplier<T> work) {
    return QuarkusTransaction.requiringNew().call(work::get);
  }

  private CreatedRun create(int priority, int maxRetries, boolean retryOnFailure) {
    return tx(
        () ->
            lifecycle.create(
                new NewRun(
                    app.teamId(),
                    app.appId(),
                    app.versionId(),
                    app.envId(),
                    env,
                    "{\"name\":\"x\"}",
                    priority,
                    maxRetries,
                    retryOnFailure,
                    null,
                    null,
                    null)));
  }

  @Test
  void aCreatedRunComesBackFromItsInsertExactlyAsTheClientApiReadsIt() {
    CreatedRun created = create(7, 3, true);
    assertThat(created.view()).isNotNull();
    assertThat(created.view())
        .isEqualTo(runQueries.find(app.teamId(), created.runId()).orElseThrow());
    assertThat(created.view().input()).isEqualTo("{\"name\": \"x\"}");
    assertThat(created.view().versionNo()).isEqualTo(1);
  }

  private RunnerRef platformRunner(int maxConcurrent) throws Exception {
    return new RunnerRef(fixtures.runner(null, env, maxConcurrent), null, env, maxConcurrent);
  }

  private Optional<LeaseGrant> lease(RunnerRef runner, String token) {
    return tx(() -> transitions.lease(runner, DbFixtures.sha256(token), TTL));
  }

  private LeaseRef ref(LeaseGrant g, RunnerRef runner, String token) {
    return new LeaseRef(g.runId(), runner.runnerId(), DbFixtures.sha256(token));
  }

  @Test
  void createAssignsConsecutiveRunNumbersAndWritesCreatedEvent() throws Exception {
    CreatedRun first = create(0, 0, false);
    CreatedRun second = create(0, 0, false);
    assertThat(first.runNo()).isEqualTo(1);
    assertThat(second.runNo()).isEqualTo(2);
    assertThat(
            fixtures.count(
                "SELECT count(*) FROM outbox WHERE message_key = ? AND event_type = ?",
                Long.toString(first.runId()),
                "dev.minitower.run.created"))
        .isEqualTo(1);
  }

  @Test
  void idempotencyKeyReplaysSameRequestAndRejectsDifferentOne() {
    Supplier<NewRun> req =
        () ->
            new NewRun(
                app.teamId(),
                app.appId(),
                app.versionId(),
                app.envId(),
                env,
                null,
                0,
                0,
                false,
                "key-1",
                "hash-a",
                null);
    CreatedRun first = tx(() -> lifecycle.create(req.get()));
    CreatedRun replay = tx(() -> lifecycle.create(req.get()));
    assertThat(replay.runId()).isEqualTo(first.runId());
    assertThat(replay.replayed()).isTrue();
    assertThatThrownBy(
            () ->
                tx(
                    () ->
                        lifecycle.create(
                            new NewRun(
                                app.teamId(),
                                app.appId(),
                                app.versionId(),
                                app.envId(),
                                env,
                                "{}",
                                0,
                                0,
                                false,
                                "key-1",
                                "hash-b",
                                null))))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
  }

  @Test
  void leasePicksHighestPriorityThenOldestAndAnswersEmptyWhenQueueIsDrained() throws Exception {
    CreatedRun low = create(0, 0, false);
    CreatedRun high = create(5, 0, false);
    CreatedRun lowLater = create(0, 0, false);
    RunnerRef runner = platformRunner(10);
    assertThat(lease(runner, "a").orElseThrow().runId()).isEqualTo(high.runId());
    assertThat(lease(runner, "b").orElseThrow().runId()).isEqualTo(low.runId());
    LeaseGrant third = lease(runner, "c").orElseThrow();
    assertThat(third.runId()).isEqualTo(lowLater.runId());
    assertThat(third.attemptNo()).isEqualTo(1);
    assertThat(third.entrypoint()).isEqualTo("main.py");
    assertThat(lease(runner, "d")).isEmpty();
  }

  @Test
  void runnerAtItsConcurrencyLimitGets409() throws Exception {
    create(0, 0, false);
    create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    assertThat(lease(runner, "a")).isPresent();
    assertThatThrownBy(() -> lease(runner, "b"))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
  }

  @Test
  void teamRunnerLeasesOnlyItsTeamsRuns() throws Exception {
    create(0, 0, false);
    DbFixtures.App other = fixtures.app(env);
    RunnerRef foreign =
        new RunnerRef(fixtures.runner(other.teamId(), env, 5), other.teamId(), env, 5);
    assertThat(lease(foreign, "x")).isEmpty();
    RunnerRef own = new RunnerRef(fixtures.runner(app.teamId(), env, 5), app.teamId(), env, 5);
    assertThat(lease(own, "y")).isPresent();
  }

  @Test
  void startHeartbeatAndIdempotentResult() throws Exception {
    create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "tok").orElseThrow();
    LeaseRef ref = ref(g, runner, "tok");
    AttemptState started = tx(() -> transitions.start(ref));
    assertThat(started.status()).isEqualTo("running");
    assertThat(started.runStatus()).isEqualTo("running");
    assertThat(tx(() -> transitions.start(ref)).status()).isEqualTo("running");
    AttemptState beat = tx(() -> transitions.heartbeat(ref, TTL));
    assertThat(beat.cancelRequested()).isFalse();

    Optional<RunEnded> ended =
        tx(() -> transitions.complete(ref, new RunResult("completed", 0, null)));
    assertThat(ended).isPresent();
    assertThat(ended.get().startedAt()).isNotNull();
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("completed");
    assertThat(tx(() -> transitions.complete(ref, new RunResult("completed", 0, null)))).isEmpty();
    assertThatThrownBy(
            () -> tx(() -> transitions.complete(ref, new RunResult("failed", 1, "boom"))))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    assertThatThrownBy(() -> tx(() -> transitions.heartbeat(ref, TTL)))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
  }

  @Test
  void aResultThatAsksForTheNextRunFreesItsSlotAndLeasesInTheSameTransaction() throws Exception {
    CreatedRun first = create(0, 0, false);
    CreatedRun second = create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "one").orElseThrow();
    assertThat(g.runId()).isEqualTo(first.runId());
    LeaseRef ref = ref(g, runner, "one");
    List<LogLine> last = List.of(new LogLine(1, "stdout", "bye", Instant.now()));

    // The runner's only slot is the finished attempt's; the claim sent with the result finds it
    // free.
    AttemptTransitions.Completed done = completeAndLease(ref, last, next(runner, "two", true));
    assertThat(done.ended()).isPresent();
    assertThat(fixtures.runStatus(first.runId())).isEqualTo("completed");
    assertThat(done.leased()).singleElement().satisfies(n -> assertThat(n.started()).isTrue());
    assertThat(done.leased().get(0).runId()).isEqualTo(second.runId());
    assertThat(fixtures.runStatus(second.runId())).isEqualTo("running");
    assertThat(runQueries.logsAfter(first.runId(), 0, 0, 10)).hasSize(1);
    // The result's event precedes the next run's events in the outbox (ids follow commit order).
    assertThat(
            fixtures.count(
                "SELECT count(*) FROM outbox f, outbox l WHERE f.message_key = ?"
                    + " AND f.event_type = 'dev.minitower.run.completed' AND l.message_key = ?"
                    + " AND l.event_type = 'dev.minitower.run.leased' AND f.id < l.id",
                Long.toString(first.runId()),
                Long.toString(second.runId())))
        .isEqualTo(1);

    // A repeat of the result (its answer was lost) changes nothing and leases nothing.
    CreatedRun third = create(0, 0, false);
    AttemptTransitions.Completed repeat = completeAndLease(ref, last, next(runner, "three", false));
    assertThat(repeat.ended()).isEmpty();
    assertThat(repeat.leased()).isEmpty();
    assertThat(fixtures.runStatus(third.runId())).isEqualTo("queued");
  }

  @Test
  void aRefusedResultLeasesNothing() throws Exception {
    create(0, 0, false);
    CreatedRun waiting = create(0, 0, false);
    RunnerRef runner = platformRunner(2);
    LeaseGrant g = lease(runner, "one").orElseThrow();
    LeaseRef wrong = new LeaseRef(g.runId(), runner.runnerId(), DbFixtures.sha256("not-it"));
    assertThatThrownBy(() -> completeAndLease(wrong, List.of(), next(runner, "two", false)))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
    assertThat(fixtures.runStatus(waiting.runId())).isEqualTo("queued");

    // The result and the claim share one transaction: a claim that fails (here a malformed token
    // hash, refused by its CHECK) undoes the result sent in the same round trip.
    assertThatThrownBy(
            () ->
                completeAndLease(
                    ref(g, runner, "one"),
                    List.of(),
                    new AttemptTransitions.NextClaim(runner, List.of("not-a-hash"), TTL, false)))
        .isInstanceOf(StoreException.class);
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("leased");
    assertThat(fixtures.runStatus(waiting.runId())).isEqualTo("queued");

    // A cancelling attempt accepts only "cancelled": refused before anything is sent.
    fixtures.exec(
        "UPDATE run_attempts SET status = 'cancelling' WHERE run_id = ? AND status = 'leased'",
        g.runId());
    assertThatThrownBy(
            () -> completeAndLease(ref(g, runner, "one"), List.of(), next(runner, "two", false)))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    assertThat(fixtures.runStatus(waiting.runId())).isEqualTo("queued");
  }

  /**
   * A completed result with {@code lines}, asking for the runner's next run, in its own
   * transaction.
   */
  private AttemptTransitions.Completed completeAndLease(
      LeaseRef ref, List<LogLine> lines, AttemptTransitions.NextClaim next) {
    return tx(
        () -> transitions.completeAndLease(ref, new RunResult("completed", 0, null), lines, next));
  }

  private static AttemptTransitions.NextClaim next(RunnerRef runner, String token, boolean start) {
    return new AttemptTransitions.NextClaim(runner, List.of(DbFixtures.sha256(token)), TTL, start);
  }

  @Test
  void expiredLeaseIsRefusedBeforeAnyReaperRuns() throws Exception {
    create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "tok").orElseThrow();
    LeaseRef ref = ref(g, runner, "tok");
    fixtures.expireLease(g.runId());
    for (Runnable call :
        List.<Runnable>of(
            () -> tx(() -> transitions.heartbeat(ref, TTL)),
            () -> tx(() -> transitions.start(ref)),
            () ->
                tx(
                    () ->
                        transitions.appendLogs(
                            ref, List.of(new LogLine(1, "stdout", "x", Instant.now())))),
            () -> tx(() -> transitions.complete(ref, new RunResult("completed", 0, null))))) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
    }
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("leased");
  }

  @Test
  void wrongTokenOrOtherRunnerIsGone() throws Exception {
    create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "tok").orElseThrow();
    LeaseRef wrongToken = new LeaseRef(g.runId(), runner.runnerId(), DbFixtures.sha256("nope"));
    LeaseRef otherRunner =
        new LeaseRef(g.runId(), runner.runnerId() + 100_000, DbFixtures.sha256("tok"));
    assertThatThrownBy(() -> tx(() -> transitions.heartbeat(wrongToken, TTL)))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
    assertThatThrownBy(() -> tx(() -> transitions.start(otherRunner)))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
  }

  @Test
  void replayedAndReorderedLogBatchesStoreEachLineOnce() throws Exception {
    create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "tok").orElseThrow();
    LeaseRef ref = ref(g, runner, "tok");
    Instant now = Instant.now();
    List<LogLine> first =
        List.of(new LogLine(1, "stdout", "a", now), new LogLine(2, "stderr", "b", now));
    List<LogLine> second =
        List.of(new LogLine(4, "stdout", "d", now), new LogLine(3, "stdout", "c", now));
    assertThat(tx(() -> transitions.appendLogs(ref, second))).isEqualTo(2);
    assertThat(tx(() -> transitions.appendLogs(ref, first))).isEqualTo(2);
    assertThat(tx(() -> transitions.appendLogs(ref, first))).isZero();
    assertThat(
            tx(
                () ->
                    transitions.appendLogs(
                        ref,
                        List.of(
                            new LogLine(5, "stdout", "e", now),
                            new LogLine(5, "stdout", "e2", now)))))
        .isEqualTo(1);
    assertThat(fixtures.count("SELECT count(*) FROM run_logs WHERE run_id = ?", g.runId()))
        .isEqualTo(5);
    assertThat(
            fixtures.count(
                "SELECT count(*) FROM run_logs WHERE run_id = ? AND seq BETWEEN 1 AND 5",
                g.runId()))
        .isEqualTo(5);
  }

  @Test
  void cancelQueuedEndsAtOnceAndCancelRunningReachesTheRunnerOnHeartbeat() throws Exception {
    CreatedRun queued = create(0, 0, false);
    Optional<RunEnded> ended = tx(() -> lifecycle.cancel(app.teamId(), queued.runId()));
    assertThat(ended).isPresent();
    assertThat(fixtures.runStatus(queued.runId())).isEqualTo("cancelled");

    create(0, 0, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "tok").orElseThrow();
    LeaseRef ref = ref(g, runner, "tok");
    tx(() -> transitions.start(ref));
    assertThat(tx(() -> lifecycle.cancel(app.teamId(), g.runId()))).isEmpty();
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("cancelling");
    AttemptState beat = tx(() -> transitions.heartbeat(ref, TTL));
    assertThat(beat.cancelRequested()).isTrue();
    assertThat(beat.status()).isEqualTo("cancelling");
    assertThatThrownBy(
            () -> tx(() -> transitions.complete(ref, new RunResult("completed", 0, null))))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    assertThat(tx(() -> transitions.complete(ref, new RunResult("cancelled", null, null))))
        .isPresent();
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("cancelled");
  }

  @Test
  void cancelOfAnotherTeamsRunIsNotFound() throws Exception {
    CreatedRun run = create(0, 0, false);
    DbFixtures.App other = fixtures.app(env);
    assertThatThrownBy(() -> tx(() -> lifecycle.cancel(other.teamId(), run.runId())))
        .isInstanceOfSatisfying(
            RunRefusal.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
  }

  @Test
  void reaperRequeuesWhileRetriesRemainThenMarksDead() throws Exception {
    create(0, 1, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant first = lease(runner, "t1").orElseThrow();
    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(reapAllAt(later)).containsExactly(ReapOutcome.RETRIED);
    assertThat(fixtures.runStatus(first.runId())).isEqualTo("queued");

    LeaseGrant second = lease(runner, "t2").orElseThrow();
    assertThat(second.runId()).isEqualTo(first.runId());
    assertThat(second.attemptNo()).isEqualTo(2);
    assertThat(reapAllAt(later)).containsExactly(ReapOutcome.DEAD);
    assertThat(fixtures.runStatus(first.runId())).isEqualTo("dead");
  }

  @Test
  void reaperCancelsExpiredRunWhoseCancelWasRequested() throws Exception {
    create(0, 3, false);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "t1").orElseThrow();
    tx(() -> lifecycle.cancel(app.teamId(), g.runId()));
    assertThat(reapAllAt(Instant.now().plus(Duration.ofMinutes(5))))
        .containsExactly(ReapOutcome.CANCELLED);
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("cancelled");
  }

  @Test
  void failedRunThatRetriesOnFailureWaitsForItsBackoff() throws Exception {
    create(0, 2, true);
    RunnerRef runner = platformRunner(1);
    LeaseGrant g = lease(runner, "t1").orElseThrow();
    LeaseRef ref = ref(g, runner, "t1");
    Optional<RunEnded> ended =
        tx(() -> transitions.complete(ref, new RunResult("failed", 3, "exit 3")));
    assertThat(ended.orElseThrow().requeued()).isTrue();
    assertThat(fixtures.runStatus(g.runId())).isEqualTo("queued");
    assertThat(lease(runner, "t2")).as("backoff not yet over").isEmpty();
    fixtures.exec("UPDATE runs SET available_at = now() WHERE id = ?", g.runId());
    assertThat(lease(runner, "t3").orElseThrow().attemptNo()).isEqualTo(2);
  }

  @Test
  void backoffGrowsExponentiallyUpToItsCap() {
    assertThat(transitions.backoff(0)).isEqualTo(Duration.ofMinutes(1));
    assertThat(transitions.backoff(1)).isEqualTo(Duration.ofMinutes(2));
    assertThat(transitions.backoff(2)).isEqualTo(Duration.ofMinutes(4));
    assertThat(transitions.backoff(10)).isEqualTo(Duration.ofMinutes(10));
  }

  /** Reaps, as of {@code asOf}, only this test's expired attempts (other suites share the DB). */
  private List<ReapOutcome> reapAllAt(Instant asOf) throws Exception {
    List<Long> ours = fixtures.attemptIdsOfApp(app.appId());
    return reaper.expiredAttempts(asOf, 10_000).stream()
        .filter(ours::contains)
        .map(id -> tx(() -> reaper.reap(id, asOf)))
        .map(RunRecords.Reaped::outcome)
        .toList();
  }
}
