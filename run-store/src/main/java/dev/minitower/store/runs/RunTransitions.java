package dev.minitower.store.runs;

import dev.minitower.model.event.RunEventData;
import dev.minitower.model.event.RunEventType;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.jdbc.EnvironmentScope;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunRecords.AttemptState;
import dev.minitower.store.runs.RunRecords.CreatedRun;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.NewRun;
import dev.minitower.store.runs.RunRecords.ReapOutcome;
import dev.minitower.store.runs.RunRecords.Reaped;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one implementation of every run state transition (DESIGN §2–3). Each method runs inside the
 * caller's transaction ({@code MANDATORY}), guards on the statuses of {@link
 * dev.minitower.model.run.RunTransition}, and writes the lifecycle event to the outbox in the same
 * transaction. Lock order is always run row, then attempt row, so transitions cannot deadlock one
 * another; lease validity is status AND database time ({@code lease_expires_at > now()}).
 *
 * <p>Failures the caller must report are thrown as {@link RunRefusal}: not found (run not in team),
 * conflict (conflicting state), gone (lease invalid, expired or finished), unauthorized (unknown
 * runner). The transaction then rolls back; platform maps the reason to HTTP.
 */
@ApplicationScoped
public class RunTransitions {
  private final AgroalDataSource dataSource;
  private final OutboxWriter outbox;
  private final RunStoreConfig config;

  RunTransitions(AgroalDataSource dataSource, OutboxWriter outbox, RunStoreConfig config) {
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.config = config;
  }

  // ---------------------------------------------------------------- create

  /**
   * Creates a queued run with the next {@code run_no} of its app. With an idempotency key, a replay
   * with the same request hash answers the existing run; a different request is 409.
   */
  @Transactional(TxType.MANDATORY)
  public CreatedRun create(NewRun run) {
    try (Connection c = dataSource.getConnection()) {
      if (run.idempotencyKey() != null) {
        Optional<CreatedRun> existing = findByIdempotencyKey(c, run);
        if (existing.isPresent()) {
          return existing.get();
        }
      }
      Optional<RunRow> inserted =
          Jdbc.queryOne(
              c,
              RunSql.INSERT_RUN,
              RunRow::map,
              run.teamId(),
              run.appVersionId(),
              run.environmentId(),
              run.environmentName(),
              Jdbc.bigint(run.scheduleId()),
              run.inputJson() == null ? Jdbc.TypedNull.TEXT : run.inputJson(),
              run.priority(),
              run.maxRetries(),
              run.retryOnFailure(),
              Jdbc.text(run.idempotencyKey()),
              Jdbc.text(run.requestHash()),
              run.appId(),
              run.teamId());
      if (inserted.isEmpty()) {
        // Either the app is not the team's, or a concurrent create took the key (ON CONFLICT
        // waited for it to commit, so it is visible now).
        return (run.idempotencyKey() == null
                ? Optional.<CreatedRun>empty()
                : findByIdempotencyKey(c, run))
            .orElseThrow(() -> RunRefusal.notFound("app not found"));
      }
      RunRow row = inserted.get();
      outbox.runEvent(RunEventType.CREATED, row.eventSeq(), row.event(null, null, null));
      notifyQueued(c, row.environment());
      return new CreatedRun(row.id(), row.runNo(), false);
    } catch (SQLException e) {
      throw new StoreException("create run", e);
    }
  }

  private static Optional<CreatedRun> findByIdempotencyKey(Connection c, NewRun run)
      throws SQLException {
    return Jdbc.queryOne(
        c,
        RunSql.FIND_BY_IDEMPOTENCY_KEY,
        rs -> {
          if (!Objects.equals(rs.getString("request_hash"), run.requestHash())) {
            throw RunRefusal.conflict("Idempotency-Key was already used with a different request");
          }
          return new CreatedRun(rs.getLong("id"), rs.getLong("run_no"), true);
        },
        run.teamId(),
        run.appId(),
        run.idempotencyKey());
  }

  // ---------------------------------------------------------------- cancel

  /**
   * API cancel: queued → cancelled at once; leased/running → cancelling (the live attempt too, so
   * its runner learns it on the next heartbeat); cancelling and terminal runs are left as they are.
   *
   * @return the run when this call ended it (for metrics), else empty
   */
  @Transactional(TxType.MANDATORY)
  public Optional<RunEnded> cancel(long teamId, long runId) {
    try (Connection c = dataSource.getConnection()) {
      RunRow run =
          Jdbc.queryOne(c, RunSql.LOCK_RUN_IN_TEAM, RunRow::map, runId, teamId)
              .orElseThrow(() -> RunRefusal.notFound("run not found"));
      RunStatus status = RunStatus.fromWire(run.status());
      switch (status) {
        case QUEUED -> {
          RunRow done = Jdbc.queryOne(c, RunSql.CANCEL_QUEUED, RunRow::map, runId).orElseThrow();
          outbox.runEvent(
              RunEventType.CANCELLED, done.eventSeq(), done.event("queued", null, "cancelled"));
          return Optional.of(
              new RunEnded(
                  runId,
                  done.teamSlug(),
                  done.appSlug(),
                  "cancelled",
                  done.queuedAt(),
                  null,
                  done.finishedAt(),
                  false));
        }
        case LEASED, RUNNING -> {
          RunRow marked = Jdbc.queryOne(c, RunSql.REQUEST_CANCEL, RunRow::map, runId).orElseThrow();
          for (long runnerId :
              Jdbc.query(c, RunSql.ATTEMPT_REQUEST_CANCEL, rs -> rs.getLong(1), runId)) {
            Jdbc.queryOne(c, RunSql.NOTIFY_CANCEL, rs -> true, Long.toString(runnerId));
          }
          outbox.runEvent(
              RunEventType.CANCEL_REQUESTED,
              marked.eventSeq(),
              marked.event(status.wire(), null, "cancel requested"));
          return Optional.empty();
        }
        default -> {
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cancel run", e);
    }
  }

  // ---------------------------------------------------------------- lease

  /**
   * Claims the best queued run the runner may execute ({@code priority DESC, queued_at, id},
   * available now, in its environment and scope) with {@code FOR UPDATE SKIP LOCKED}, and creates
   * its attempt with a lease of {@code ttl}. Empty when there is no work.
   *
   * @throws RunRefusal conflict when the runner already holds {@code max_concurrent} live leases
   */
  @Transactional(TxType.MANDATORY)
  public Optional<LeaseGrant> lease(RunnerRef runner, String leaseTokenHash, Duration ttl) {
    return leaseBatch(runner, List.of(leaseTokenHash), ttl, false).stream().findFirst();
  }

  /**
   * Claims up to {@code leaseTokenHashes.size()} runs at once (never more than the runner's free
   * slots), in pick order, one statement; each gets the lease token hash at its position. With
   * {@code start}, the runs and attempts go on to running in the same statement (the fused
   * lease-and-start of the batch lease), and both events are written.
   *
   * @throws RunRefusal conflict when the runner already holds {@code max_concurrent} live leases
   */
  @Transactional(TxType.MANDATORY)
  public List<LeaseGrant> leaseBatch(
      RunnerRef runner, List<String> leaseTokenHashes, Duration ttl, boolean start) {
    try (Connection c = dataSource.getConnection()) {
      int active =
          Jdbc.queryOne(c, RunSql.LOCK_RUNNER_COUNT_ACTIVE, rs -> rs.getInt(1), runner.runnerId())
              .orElseThrow(RunRefusal::unauthorized);
      int free = runner.maxConcurrent() - active;
      if (free <= 0) {
        throw RunRefusal.conflict("runner already has an active lease");
      }
      int limit = Math.min(free, leaseTokenHashes.size());
      List<LeaseGrant> grants =
          Jdbc.query(
              c,
              start ? RunSql.LEASE_AND_START : RunSql.LEASE,
              RunTransitions::mapGrant,
              runner.environment(),
              Jdbc.bigint(runner.teamId()),
              Jdbc.bigint(runner.teamId()),
              limit,
              runner.runnerId(),
              c.createArrayOf("text", leaseTokenHashes.subList(0, limit).toArray()),
              ttl.toMillis());
      for (LeaseGrant g : grants) {
        long leasedSeq = g.started() ? g.eventSeq() - 1 : g.eventSeq();
        outbox.runEvent(RunEventType.LEASED, leasedSeq, grantEvent(g, runner, "leased", "queued"));
        if (g.started()) {
          outbox.runEvent(
              RunEventType.STARTED, g.eventSeq(), grantEvent(g, runner, "running", "leased"));
        }
      }
      return grants;
    } catch (SQLException e) {
      throw new StoreException("lease run", e);
    }
  }

  private static RunEventData grantEvent(
      LeaseGrant g, RunnerRef runner, String status, String previous) {
    return new RunEventData(
        g.runId(),
        g.runNo(),
        g.teamId(),
        g.teamSlug(),
        g.appId(),
        g.appSlug(),
        g.environment(),
        status,
        previous,
        g.retryCount(),
        g.attemptNo(),
        runner.runnerId(),
        null,
        null,
        null);
  }

  private static LeaseGrant mapGrant(ResultSet rs) throws SQLException {
    return new LeaseGrant(
        rs.getLong("run_id"),
        rs.getLong("run_no"),
        rs.getLong("team_id"),
        rs.getString("team_slug"),
        rs.getLong("app_id"),
        rs.getString("app_slug"),
        rs.getInt("version_no"),
        rs.getString("entrypoint"),
        Jdbc.intOrNull(rs, "timeout_seconds"),
        rs.getString("input"),
        rs.getString("artifact_sha256"),
        rs.getString("import_paths"),
        rs.getLong("attempt_id"),
        rs.getInt("attempt_no"),
        Jdbc.instant(rs, "lease_expires_at"),
        rs.getString("environment_name"),
        rs.getLong("event_seq"),
        rs.getInt("retry_count"),
        "running".equals(rs.getString("run_status")));
  }

  // ---------------------------------------------------------------- runner calls

  /**
   * Start: attempt leased → running (idempotent when already running); the run follows unless it is
   * cancelling, in which case the answer tells the runner to stop. Does not extend the lease.
   */
  @Transactional(TxType.MANDATORY)
  public AttemptState start(LeaseRef ref) {
    try (Connection c = dataSource.getConnection()) {
      RunRow run = lockRun(c, ref.runId());
      AttemptRow attempt = liveAttempt(c, ref);
      if ("leased".equals(attempt.status())) {
        Jdbc.update(c, RunSql.ATTEMPT_START, attempt.id());
        Optional<RunRow> started = Jdbc.queryOne(c, RunSql.RUN_START, RunRow::map, ref.runId());
        if (started.isPresent()) {
          RunRow r = started.get();
          outbox.runEvent(
              RunEventType.STARTED,
              r.eventSeq(),
              r.event(run.status(), attempt.attemptNo(), ref.runnerId(), null, null, null));
        }
      }
      return attemptState(c, ref);
    } catch (SQLException e) {
      throw new StoreException("start run", e);
    }
  }

  /** Heartbeat: resets {@code lease_expires_at = now() + ttl} of a live, unexpired attempt. */
  @Transactional(TxType.MANDATORY)
  public AttemptState heartbeat(LeaseRef ref, Duration ttl) {
    try (Connection c = dataSource.getConnection()) {
      AttemptState state =
          Jdbc.queryOne(
                  c,
                  RunSql.HEARTBEAT,
                  RunTransitions::mapAttemptState,
                  ttl.toMillis(),
                  ref.runId(),
                  ref.runnerId(),
                  ref.leaseTokenHash())
              .orElseThrow(() -> RunRefusal.gone());
      Jdbc.update(c, RunSql.TOUCH_RUNNER, ref.runnerId());
      return state;
    } catch (SQLException e) {
      throw new StoreException("extend lease", e);
    }
  }

  /** The attempt id and number when the lease is valid (for log ingestion); else 410. */
  @Transactional(TxType.MANDATORY)
  public AttemptState requireLive(LeaseRef ref) {
    try (Connection c = dataSource.getConnection()) {
      return attemptState(c, ref);
    } catch (SQLException e) {
      throw new StoreException("get active attempt", e);
    }
  }

  /**
   * Appends log lines to a live attempt; a {@code (attempt, seq)} already stored is skipped, so
   * replayed or reordered batches never duplicate lines.
   *
   * @return the number of lines stored by this call
   */
  @Transactional(TxType.MANDATORY)
  public int appendLogs(LeaseRef ref, List<LogLine> lines) {
    try (Connection c = dataSource.getConnection()) {
      AttemptState attempt = attemptState(c, ref);
      return insertLogs(c, ref, attempt, lines);
    } catch (SQLException e) {
      throw new StoreException("append logs", e);
    }
  }

  /**
   * A result carrying the run's last log lines: the lines are stored (while the attempt is live)
   * and the result recorded in the same transaction, exactly as {@link #appendLogs} then {@link
   * #complete}. A repeated result finds the attempt finished and skips the lines, which were stored
   * the first time.
   */
  @Transactional(TxType.MANDATORY)
  public Optional<RunEnded> completeWithLogs(LeaseRef ref, RunResult result, List<LogLine> lines) {
    if (!lines.isEmpty()) {
      try (Connection c = dataSource.getConnection()) {
        Optional<AttemptState> live =
            Jdbc.queryOne(
                c,
                RunSql.ATTEMPT_STATE,
                RunTransitions::mapAttemptState,
                ref.runId(),
                ref.runnerId(),
                ref.leaseTokenHash());
        if (live.isPresent()) {
          insertLogs(c, ref, live.get(), lines);
        }
      } catch (SQLException e) {
        throw new StoreException("append logs", e);
      }
    }
    return complete(ref, result);
  }

  private static int insertLogs(
      Connection c, LeaseRef ref, AttemptState attempt, List<LogLine> lines) throws SQLException {
    if (lines.isEmpty()) {
      return 0;
    }
    long[] seqs = new long[lines.size()];
    String[] streams = new String[lines.size()];
    String[] texts = new String[lines.size()];
    java.sql.Timestamp[] times = new java.sql.Timestamp[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      LogLine l = lines.get(i);
      seqs[i] = l.seq();
      streams[i] = l.stream();
      texts[i] = l.line();
      times[i] = java.sql.Timestamp.from(l.loggedAt());
    }
    try (PreparedStatement ps = c.prepareStatement(RunSql.INSERT_LOGS_AND_NOTIFY)) {
      ps.setLong(1, attempt.attemptId());
      ps.setLong(2, ref.runId());
      ps.setInt(3, attempt.attemptNo());
      ps.setArray(4, c.createArrayOf("bigint", box(seqs)));
      ps.setArray(5, c.createArrayOf("text", streams));
      ps.setArray(6, c.createArrayOf("text", texts));
      ps.setArray(7, c.createArrayOf("timestamptz", times));
      ps.setString(8, Long.toString(ref.runId()));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /** A log line as stored. */
  public record LogLine(long seq, String stream, String line, Instant loggedAt) {}

  private static Long[] box(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /**
   * Records a runner's result. Idempotent: the same result for an attempt that already finished
   * answers empty (200); a different one is 409; an expired or unknown lease is 410. A {@code
   * cancelling} attempt accepts only {@code cancelled}. A failure of a run that retries on failure
   * requeues it with exponential backoff.
   *
   * @return the ended (or requeued) run when this call changed it, for metrics
   */
  @Transactional(TxType.MANDATORY)
  public Optional<RunEnded> complete(LeaseRef ref, RunResult result) {
    try (Connection c = dataSource.getConnection()) {
      RunRow run = lockRun(c, ref.runId());
      AttemptRow attempt =
          Jdbc.queryOne(
                  c,
                  RunSql.LOCK_OWN_ATTEMPT,
                  AttemptRow::map,
                  ref.runId(),
                  ref.runnerId(),
                  ref.leaseTokenHash())
              .orElseThrow(() -> RunRefusal.gone());
      switch (attempt.status()) {
        case "completed", "failed", "cancelled" -> {
          if (attempt.status().equals(result.status())
              && Objects.equals(attempt.exitCode(), result.exitCode())) {
            return Optional.empty();
          }
          throw RunRefusal.conflict("result conflicts with attempt state");
        }
        case "expired" -> throw RunRefusal.gone();
        default -> {
          // live
        }
      }
      if (!attempt.unexpired()) {
        throw RunRefusal.gone();
      }
      if ("cancelling".equals(attempt.status()) && !"cancelled".equals(result.status())) {
        throw RunRefusal.conflict("result conflicts with attempt state");
      }
      Instant finishedAt =
          Jdbc.queryOne(
                  c,
                  RunSql.ATTEMPT_FINISH,
                  rs -> Jdbc.instant(rs, "finished_at"),
                  result.status(),
                  Jdbc.integer(result.exitCode()),
                  Jdbc.text(truncate(result.errorMessage())),
                  attempt.id())
              .orElse(null);
      boolean retry =
          "failed".equals(result.status())
              && run.retryOnFailure()
              && run.retryCount() < run.maxRetries()
              && !run.cancelRequested();
      RunRow after;
      RunEventType type;
      if (retry) {
        long backoffMs = backoff(run.retryCount()).toMillis();
        after =
            Jdbc.queryOne(c, RunSql.REQUEUE_AFTER_FAILURE, RunRow::map, backoffMs, ref.runId())
                .orElseThrow();
        type = RunEventType.REQUEUED;
        notifyQueued(c, after.environment());
      } else {
        after =
            Jdbc.queryOne(c, RunSql.RUN_FINISH, RunRow::map, result.status(), ref.runId())
                .orElseThrow(() -> RunRefusal.conflict("result conflicts with run state"));
        type = RunEventType.valueOf(result.status().toUpperCase(java.util.Locale.ROOT));
      }
      outbox.runEvent(
          type,
          after.eventSeq(),
          after.event(
              run.status(),
              attempt.attemptNo(),
              ref.runnerId(),
              result.exitCode(),
              truncate(result.errorMessage()),
              retry ? "failure retry " + after.retryCount() + " of " + after.maxRetries() : null));
      return Optional.of(
          new RunEnded(
              ref.runId(),
              run.teamSlug(),
              run.appSlug(),
              result.status(),
              attempt.queuedAt(),
              attempt.startedAt(),
              finishedAt,
              retry));
    } catch (SQLException e) {
      throw new StoreException("complete run", e);
    }
  }

  /** Exponential backoff before a failed run becomes leasable again. */
  Duration backoff(int retryCount) {
    long base = config.retryBackoffBase().toMillis();
    long max = config.retryBackoffMax().toMillis();
    long delay = base << Math.min(retryCount, 20);
    return Duration.ofMillis(Math.min(delay, max));
  }

  private static String truncate(String message) {
    if (message == null) {
      return null;
    }
    return message.length() > 4000 ? message.substring(0, 4000) + "…" : message;
  }

  // ---------------------------------------------------------------- reaper

  /**
   * Ids of live attempts whose lease expired at {@code asOf} (database time when null), oldest
   * first. Reading needs no transaction; each is then handled by {@link #reap}.
   */
  public List<Long> expiredAttempts(Instant asOf, int limit) {
    return expiredAttempts(asOf, null, limit);
  }

  /** {@link #expiredAttempts(Instant, int)} of runs in {@code environments} (null: every one). */
  public List<Long> expiredAttempts(Instant asOf, String[] environments, int limit) {
    Object at = asOf == null ? Jdbc.TypedNull.TIMESTAMP : asOf;
    try (Connection c = dataSource.getConnection()) {
      if (environments == null) {
        return Jdbc.query(c, RunSql.EXPIRED_ATTEMPTS, rs -> rs.getLong(1), at, limit);
      }
      Object[] in = EnvironmentScope.params(environments);
      return Jdbc.query(
          c, RunSql.EXPIRED_ATTEMPTS_IN_SCOPE, rs -> rs.getLong(1), at, in[0], in[1], limit);
    } catch (SQLException e) {
      throw new StoreException("find expired attempts", e);
    }
  }

  /**
   * Handles one expired attempt: cancel path, retry path or dead path (runs.md §7). The run row is
   * locked with {@code SKIP LOCKED} and the attempt re-checked, so two reapers (or a racing
   * heartbeat or result) never both act on it.
   */
  @Transactional(TxType.MANDATORY)
  public Reaped reap(long attemptId, Instant asOf) {
    try (Connection c = dataSource.getConnection()) {
      Optional<RunRow> locked =
          Jdbc.queryOne(c, RunSql.LOCK_RUN_OF_ATTEMPT_SKIP_LOCKED, RunRow::map, attemptId);
      if (locked.isEmpty()) {
        return new Reaped(ReapOutcome.SKIPPED, 0, null, null);
      }
      RunRow run = locked.get();
      Object at = asOf == null ? Jdbc.TypedNull.TIMESTAMP : asOf;
      Optional<AttemptRow> expired =
          Jdbc.queryOne(c, RunSql.LOCK_EXPIRED_ATTEMPT, AttemptRow::map, attemptId, at);
      if (expired.isEmpty()) {
        return new Reaped(ReapOutcome.SKIPPED, run.id(), run.teamSlug(), run.appSlug());
      }
      AttemptRow attempt = expired.get();
      boolean cancel =
          run.cancelRequested()
              || "cancelling".equals(attempt.status())
              || "cancelling".equals(run.status());
      ReapOutcome outcome;
      RunRow after;
      RunEventType type;
      if (cancel) {
        Jdbc.update(c, RunSql.ATTEMPT_END, "cancelled", attemptId);
        after =
            Jdbc.queryOne(c, RunSql.RUN_FINISH, RunRow::map, "cancelled", run.id()).orElseThrow();
        outcome = ReapOutcome.CANCELLED;
        type = RunEventType.CANCELLED;
      } else if (run.retryCount() < run.maxRetries()) {
        Jdbc.update(c, RunSql.ATTEMPT_END, "expired", attemptId);
        after = Jdbc.queryOne(c, RunSql.REQUEUE_EXPIRED, RunRow::map, run.id()).orElseThrow();
        outcome = ReapOutcome.RETRIED;
        type = RunEventType.REQUEUED;
        notifyQueued(c, after.environment());
      } else {
        Jdbc.update(c, RunSql.ATTEMPT_END, "expired", attemptId);
        after = Jdbc.queryOne(c, RunSql.RUN_FINISH, RunRow::map, "dead", run.id()).orElseThrow();
        outcome = ReapOutcome.DEAD;
        type = RunEventType.DEAD;
      }
      outbox.runEvent(
          type,
          after.eventSeq(),
          after.event(
              run.status(), attempt.attemptNo(), attempt.runnerId(), null, null, "lease expired"));
      return new Reaped(outcome, run.id(), run.teamSlug(), run.appSlug());
    } catch (SQLException e) {
      throw new StoreException("reap attempt", e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The channel runner-service listens on to wake long-polling leasers ({@code LISTEN}). */
  public static String queuedChannel() {
    return RunSql.QUEUED_CHANNEL;
  }

  /** The channel on which a cancel request announces the holding runner's id at commit. */
  public static String cancelChannel() {
    return RunSql.CANCEL_CHANNEL;
  }

  /**
   * Ids of the runs whose live attempt held by {@code runnerId} is being cancelled (the runner's
   * cancel push; at most 256). Reading needs no transaction.
   */
  public List<Long> cancellingRuns(long runnerId) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(c, RunSql.CANCELLING_OF_RUNNER, rs -> rs.getLong(1), runnerId);
    } catch (SQLException e) {
      throw new StoreException("find cancelling runs", e);
    }
  }

  /** The channel on which log appends announce their run id (payload) at commit. */
  public static String logsChannel() {
    return RunSql.LOGS_CHANNEL;
  }

  /** Wakes waiting leasers of {@code environment} when the transaction commits. */
  private static void notifyQueued(Connection c, String environment) throws SQLException {
    Jdbc.queryOne(c, RunSql.NOTIFY_QUEUED, rs -> true, environment);
  }

  private static RunRow lockRun(Connection c, long runId) throws SQLException {
    return Jdbc.queryOne(c, RunSql.LOCK_RUN, RunRow::map, runId)
        .orElseThrow(() -> RunRefusal.gone());
  }

  private static AttemptRow liveAttempt(Connection c, LeaseRef ref) throws SQLException {
    return Jdbc.queryOne(
            c,
            RunSql.LOCK_LIVE_ATTEMPT,
            AttemptRow::map,
            ref.runId(),
            ref.runnerId(),
            ref.leaseTokenHash())
        .orElseThrow(() -> RunRefusal.gone());
  }

  private static AttemptState attemptState(Connection c, LeaseRef ref) throws SQLException {
    return Jdbc.queryOne(
            c,
            RunSql.ATTEMPT_STATE,
            RunTransitions::mapAttemptState,
            ref.runId(),
            ref.runnerId(),
            ref.leaseTokenHash())
        .orElseThrow(() -> RunRefusal.gone());
  }

  private static AttemptState mapAttemptState(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    return new AttemptState(
        rs.getLong("run_id"),
        rs.getLong("id"),
        rs.getInt("attempt_no"),
        status,
        Jdbc.instant(rs, "lease_expires_at"),
        rs.getBoolean("cancel_requested") || "cancelling".equals(status),
        rs.getString("run_status"));
  }

  /** The columns of a run a transition needs, read with its lock. */
  record RunRow(
      long id,
      long runNo,
      long teamId,
      String teamSlug,
      long appId,
      String appSlug,
      String environment,
      String status,
      int retryCount,
      int maxRetries,
      boolean retryOnFailure,
      boolean cancelRequested,
      Instant queuedAt,
      Instant finishedAt,
      long eventSeq) {

    static RunRow map(ResultSet rs) throws SQLException {
      return new RunRow(
          rs.getLong("id"),
          rs.getLong("run_no"),
          rs.getLong("team_id"),
          rs.getString("team_slug"),
          rs.getLong("app_id"),
          rs.getString("app_slug"),
          rs.getString("environment_name"),
          rs.getString("status"),
          rs.getInt("retry_count"),
          rs.getInt("max_retries"),
          rs.getBoolean("retry_on_failure"),
          rs.getBoolean("cancel_requested"),
          Jdbc.instant(rs, "queued_at"),
          Jdbc.instant(rs, "finished_at"),
          rs.getLong("event_seq"));
    }

    RunEventData event(String previous, Integer attemptNo, String reason) {
      return event(previous, attemptNo, null, null, null, reason);
    }

    RunEventData event(
        String previous,
        Integer attemptNo,
        Long runnerId,
        Integer exitCode,
        String error,
        String reason) {
      return new RunEventData(
          id,
          runNo,
          teamId,
          teamSlug,
          appId,
          appSlug,
          environment,
          status,
          previous,
          retryCount,
          attemptNo,
          runnerId,
          exitCode,
          error,
          reason);
    }
  }

  /** An attempt row with whether its lease is still unexpired by database time. */
  record AttemptRow(
      long id,
      int attemptNo,
      long runnerId,
      String status,
      Integer exitCode,
      Instant queuedAt,
      Instant startedAt,
      boolean unexpired) {

    static AttemptRow map(ResultSet rs) throws SQLException {
      return new AttemptRow(
          rs.getLong("id"),
          rs.getInt("attempt_no"),
          rs.getLong("runner_id"),
          rs.getString("status"),
          Jdbc.intOrNull(rs, "exit_code"),
          Jdbc.instant(rs, "queued_at"),
          Jdbc.instant(rs, "started_at"),
          rs.getBoolean("unexpired"));
    }
  }
}
