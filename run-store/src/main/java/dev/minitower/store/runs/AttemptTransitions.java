package dev.minitower.store.runs;

import dev.minitower.model.event.RunEventType;
import dev.minitower.model.run.AttemptStatus;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunRecords.AttemptState;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import dev.minitower.store.runs.RunRows.AttemptRow;
import dev.minitower.store.runs.RunRows.RunRow;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The transitions of a leased attempt as its runner drives them: lease (claim), start, heartbeat,
 * log appends and the result (DESIGN §2–3). Each method runs inside the caller's transaction
 * ({@code MANDATORY}), guards on the statuses of {@link dev.minitower.model.run.RunTransition}, and
 * writes the lifecycle event to the outbox in the same transaction. Lock order is always run row,
 * then attempt row, so transitions cannot deadlock one another; lease validity is status AND
 * database time ({@code lease_expires_at > now()}).
 *
 * <p>A refusal is a {@link RunRefusal}: gone (lease invalid, expired or finished), conflict
 * (conflicting state), unauthorized (unknown runner). The transaction then rolls back.
 */
@ApplicationScoped
public class AttemptTransitions {
  private final AgroalDataSource dataSource;
  private final OutboxWriter outbox;
  private final RunStoreConfig config;

  AttemptTransitions(AgroalDataSource dataSource, OutboxWriter outbox, RunStoreConfig config) {
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.config = config;
  }

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
    return claim(runner, leaseTokenHashes, ttl, start, true);
  }

  /**
   * As {@link #leaseBatch}, but a runner that is offline or has no free slot gets nothing instead
   * of a refusal: the claim that rides on a result, which a refusal would roll back. The services
   * send that claim with the result ({@link #completeAndLease}); this is the same claim on its own,
   * for the tests of the claim itself ({@code LeaseRaceTest}, {@code RunnerTouchTest}).
   */
  @Transactional(TxType.MANDATORY)
  List<LeaseGrant> leaseBatchIfFree(
      RunnerRef runner, List<String> leaseTokenHashes, Duration ttl, boolean start) {
    return claim(runner, leaseTokenHashes, ttl, start, false);
  }

  /**
   * Whether a claim for this runner could do anything now. False only when the runner is online,
   * has used its token, was seen within {@code touchWithin}, has a free slot, and no run is
   * leasable for it ({@link RunSql#CLAIM_PROBE}): a poll that finds the queue empty then costs one
   * read, with no write and no commit to flush, instead of the claim's transaction (the runner
   * row's update and lock, the claim statement). A claim still follows whenever the runner's {@code
   * last_seen_at} is due for a refresh, so an idle runner stays online. Races are harmless: a run
   * queued just after this look is found by the next try (a long poll registers its wake-up before
   * each try), and the claim itself never trusts this look.
   */
  public boolean worthClaiming(RunnerRef runner, Duration touchWithin) {
    try (Connection c = dataSource.getConnection()) {
      Optional<Boolean> idle =
          Jdbc.queryOne(
              c,
              RunSql.CLAIM_PROBE,
              rs -> rs.getBoolean(1) && !rs.getBoolean(2),
              touchWithin.toMillis(),
              runner.maxConcurrent(),
              runner.environment(),
              Jdbc.bigint(runner.teamId()),
              Jdbc.bigint(runner.teamId()),
              runner.runnerId());
      return !idle.orElse(false);
    } catch (SQLException e) {
      throw new StoreException("probe the queue", e);
    }
  }

  private List<LeaseGrant> claim(
      RunnerRef runner,
      List<String> leaseTokenHashes,
      Duration ttl,
      boolean start,
      boolean refuse) {
    // The runner's lock, its lease count and the claim in one round trip (two statements).
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                start ? RunSql.LOCK_RUNNER_AND_LEASE_AND_START : RunSql.LOCK_RUNNER_AND_LEASE)) {
      Jdbc.bind(ps, claimParams(c, new NextClaim(runner, leaseTokenHashes, ttl, start)));
      ps.execute();
      return claimed(ps, runner, refuse);
    } catch (SQLException e) {
      throw new StoreException("lease run", e);
    }
  }

  /**
   * The parameters of {@link RunSql#LOCK_RUNNER_AND_LEASE} (and of its fused start) for {@code
   * next}.
   */
  private static Object[] claimParams(Connection c, NextClaim next) throws SQLException {
    RunnerRef runner = next.runner();
    return new Object[] {
      runner.runnerId(),
      runner.environment(),
      Jdbc.bigint(runner.teamId()),
      Jdbc.bigint(runner.teamId()),
      next.leaseTokenHashes().size(),
      runner.maxConcurrent(),
      runner.runnerId(),
      runner.runnerId(),
      c.createArrayOf("text", next.leaseTokenHashes().toArray()),
      next.ttl().toMillis()
    };
  }

  /**
   * Reads the claim's two results from {@code ps}, whose current result is the runner lock's count
   * ({@link RunSql#LOCK_RUNNER_AND_LEASE}), and writes the grants' events.
   */
  private List<LeaseGrant> claimed(PreparedStatement ps, RunnerRef runner, boolean refuse)
      throws SQLException {
    Optional<Integer> counted;
    try (ResultSet rs = ps.getResultSet()) {
      counted = rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
    }
    if (!ps.getMoreResults()) {
      throw new SQLException("the claim answered no rows");
    }
    List<LeaseGrant> grants = new ArrayList<>(1);
    try (ResultSet rs = ps.getResultSet()) {
      while (rs.next()) {
        grants.add(mapGrant(rs));
      }
    }
    // The claim counted the slots itself, after the lock; the first count only explains an empty
    // claim. (Both agree unless an attempt ended in between, and then the claim's is the fresher.)
    if (grants.isEmpty() && refuse) {
      int active = counted.orElseThrow(RunRefusal::unauthorized);
      if (active >= runner.maxConcurrent()) {
        throw RunRefusal.conflict("runner already has an active lease");
      }
    }
    return withEvents(runner, grants);
  }

  /** Writes the claim's events, all in one statement (two per run when started). */
  private List<LeaseGrant> withEvents(RunnerRef runner, List<LeaseGrant> grants) {
    if (grants.isEmpty()) {
      return grants;
    }
    List<OutboxWriter.RunEvent> events = new ArrayList<>(grants.size() * 2);
    for (LeaseGrant g : grants) {
      long leasedSeq = g.started() ? g.eventSeq() - 1 : g.eventSeq();
      events.add(
          new OutboxWriter.RunEvent(
              RunEventType.LEASED,
              leasedSeq,
              RunEvents.granted(g, runner.runnerId(), RunStatus.LEASED, RunStatus.QUEUED)));
      if (g.started()) {
        events.add(
            new OutboxWriter.RunEvent(
                RunEventType.STARTED,
                g.eventSeq(),
                RunEvents.granted(g, runner.runnerId(), RunStatus.RUNNING, RunStatus.LEASED)));
      }
    }
    outbox.runEvents(events);
    return grants;
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
        RunStatus.RUNNING.wire().equals(rs.getString("run_status")),
        secretNames(rs.getArray("secret_names")));
  }

  /** The secrets a version names in its Towerfile (none for most apps). */
  private static List<String> secretNames(java.sql.Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] names = (Object[]) array.getArray();
    List<String> out = new ArrayList<>(names.length);
    for (Object n : names) {
      out.add((String) n);
    }
    return List.copyOf(out);
  }

  /**
   * Start: attempt leased → running (idempotent when already running); the run follows unless it is
   * cancelling, in which case the answer tells the runner to stop. Does not extend the lease.
   */
  @Transactional(TxType.MANDATORY)
  public AttemptState start(LeaseRef ref) {
    try (Connection c = dataSource.getConnection()) {
      RunRow run = RunRows.lockRun(c, ref.runId());
      AttemptRow attempt = liveAttempt(c, ref);
      if (attempt.status() == AttemptStatus.LEASED) {
        // RunTransition.START
        Jdbc.update(c, RunSql.ATTEMPT_START, attempt.id());
        Optional<RunRow> started = Jdbc.queryOne(c, RunSql.RUN_START, RunRow::map, ref.runId());
        if (started.isPresent()) {
          RunRow r = started.get();
          outbox.runEvent(
              RunEventType.STARTED,
              r.eventSeq(),
              RunEvents.started(r, run.status(), attempt.attemptNo(), ref.runnerId()));
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
                  AttemptTransitions::mapAttemptState,
                  ttl.toMillis(),
                  ref.runId(),
                  ref.runnerId(),
                  ref.leaseTokenHash())
              .orElseThrow(RunRefusal::gone);
      Jdbc.update(c, RunSql.TOUCH_RUNNER, ref.runnerId());
      return state;
    } catch (SQLException e) {
      throw new StoreException("extend lease", e);
    }
  }

  /** The attempt id and number when the lease is valid (for log ingestion); else gone. */
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
    return finish(ref, result, lines, null).ended();
  }

  /**
   * A result (with its last log lines, possibly none) that also leases the runner's next run(s):
   * exactly {@link #completeWithLogs}, then {@link #leaseBatchIfFree} for {@code next}, in the
   * caller's transaction. The finishing statement, the runner's lock and the claim go to the
   * database in one round trip (three statements, one Sync): the claim needs nothing the finish
   * answers, and the lock and claim see the finished attempt as no longer live, so its slot is free
   * again. A repeated result leases nothing (the run leased the first time is the runner's, and a
   * second claim would take one more run than the runner knows of); a refused one rolls back, the
   * claim with it.
   */
  @Transactional(TxType.MANDATORY)
  public Completed completeAndLease(
      LeaseRef ref, RunResult result, List<LogLine> lines, NextClaim next) {
    return finish(ref, result, lines, Objects.requireNonNull(next, "next"));
  }

  /**
   * The claim that rides on a result ({@link #completeAndLease}), as {@link #leaseBatchIfFree}'s.
   */
  public record NextClaim(
      RunnerRef runner, List<String> leaseTokenHashes, Duration ttl, boolean start) {}

  /**
   * What a result did: the run it ended or requeued (empty for a repeated result) and the runs it
   * leased next, in pick order (none when none was asked for or none was free).
   */
  public record Completed(Optional<RunEnded> ended, List<LeaseGrant> leased) {
    static final Completed REPEATED = new Completed(Optional.empty(), List.of());
  }

  private static int insertLogs(
      Connection c, LeaseRef ref, AttemptState attempt, List<LogLine> lines) throws SQLException {
    return insertLogs(c, ref, attempt.attemptId(), attempt.attemptNo(), lines);
  }

  private static int insertLogs(
      Connection c, LeaseRef ref, long attemptId, int attemptNo, List<LogLine> lines)
      throws SQLException {
    if (lines.isEmpty()) {
      return 0;
    }
    return Jdbc.queryOne(
            c,
            RunSql.INSERT_LOGS_AND_NOTIFY,
            rs -> rs.getInt(1),
            logParams(c, ref, attemptId, attemptNo, lines))
        .orElse(0);
  }

  /**
   * The parameters of {@link RunSql#INSERT_LOGS_AND_NOTIFY} (and of the finishing statements with
   * logs) for {@code lines}; none for no lines.
   */
  private static Object[] logParams(
      Connection c, LeaseRef ref, long attemptId, int attemptNo, List<LogLine> lines)
      throws SQLException {
    if (lines.isEmpty()) {
      return new Object[0];
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
    return new Object[] {
      attemptId,
      ref.runId(),
      attemptNo,
      c.createArrayOf("bigint", box(seqs)),
      c.createArrayOf("text", streams),
      c.createArrayOf("text", texts),
      c.createArrayOf("timestamptz", times),
      Long.toString(ref.runId())
    };
  }

  /** {@code first}'s parameters followed by {@code rest}. */
  private static Object[] then(Object[] first, Object... rest) {
    Object[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
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
   * answers empty; a different one is a conflict; an expired or unknown lease is gone. A {@code
   * cancelling} attempt accepts only {@code cancelled}. A failure of a run that retries on failure
   * requeues it with exponential backoff.
   *
   * @return the ended (or requeued) run when this call changed it, for metrics
   */
  @Transactional(TxType.MANDATORY)
  public Optional<RunEnded> complete(LeaseRef ref, RunResult result) {
    return finish(ref, result, List.of(), null).ended();
  }

  /**
   * The result transition; {@code lines} (the run's last log lines, possibly none) are stored once
   * the attempt is known to be live, before it finishes, so a repeated or refused result stores
   * nothing. Run and attempt are locked in one statement and end in one; with {@code next}, the
   * claim of the runner's next run(s) is sent with the ending statement.
   */
  private Completed finish(LeaseRef ref, RunResult result, List<LogLine> lines, NextClaim next) {
    AttemptStatus reported = AttemptStatus.fromWire(result.status());
    try (Connection c = dataSource.getConnection()) {
      Locked locked =
          Jdbc.queryOne(
                  c,
                  RunSql.LOCK_RUN_AND_OWN_ATTEMPT,
                  Locked::map,
                  ref.runnerId(),
                  ref.leaseTokenHash(),
                  ref.runId())
              .orElseThrow(RunRefusal::gone);
      RunRow run = locked.run();
      AttemptRow attempt = locked.attempt();
      switch (attempt.status()) {
        case COMPLETED, FAILED, CANCELLED -> {
          if (attempt.status() == reported
              && Objects.equals(attempt.exitCode(), result.exitCode())) {
            return Completed.REPEATED;
          }
          throw RunRefusal.conflict("result conflicts with attempt state");
        }
        case EXPIRED -> throw RunRefusal.gone();
        default -> {
          // live
        }
      }
      if (!attempt.unexpired()) {
        throw RunRefusal.gone();
      }
      if (attempt.status() == AttemptStatus.CANCELLING && reported != AttemptStatus.CANCELLED) {
        throw RunRefusal.conflict("result conflicts with attempt state");
      }
      // The result's last lines go in the finishing statement itself (one round trip less).
      Object[] logs = logParams(c, ref, attempt.id(), attempt.attemptNo(), lines);
      boolean retry =
          reported == AttemptStatus.FAILED
              && run.retryOnFailure()
              && run.retryCount() < run.maxRetries()
              && !run.cancelRequested();
      // The attempt's end and the run's in one statement (a requeue also announces the run), with
      // the result's lines when it has some. Parameters: the lines', the attempt's end, the run's.
      boolean withLines = logs.length > 0;
      Object[] attemptEnd =
          then(
              logs,
              reported.wire(),
              Jdbc.integer(result.exitCode()),
              Jdbc.text(truncate(result.errorMessage())),
              attempt.id());
      String sql;
      Object[] params;
      RunEventType type;
      if (retry) {
        // RunTransition.RETRY_AFTER_FAILURE
        sql =
            withLines
                ? RunSql.FINISH_ATTEMPT_AND_REQUEUE_WITH_LOGS
                : RunSql.FINISH_ATTEMPT_AND_REQUEUE;
        params = then(attemptEnd, backoff(run.retryCount()).toMillis(), ref.runId());
        type = RunEventType.REQUEUED;
      } else {
        // RunTransition.COMPLETE, FAIL or CONFIRM_CANCEL: the run ends as its attempt did.
        RunStatus ended = RunStatus.fromWire(reported.wire());
        sql = withLines ? RunSql.FINISH_ATTEMPT_AND_RUN_WITH_LOGS : RunSql.FINISH_ATTEMPT_AND_RUN;
        params = then(attemptEnd, ended.wire(), ref.runId());
        type = RunEventType.valueOf(ended.name());
      }
      try (PreparedStatement ps =
          c.prepareStatement(next == null ? sql : RunSql.finishThenClaim(sql, next.start()))) {
        Jdbc.bind(ps, next == null ? params : then(params, claimParams(c, next)));
        ps.execute();
        Finished finished;
        try (ResultSet rs = ps.getResultSet()) {
          if (!rs.next()) {
            // The run is locked and was live, so this does not happen; were it to, the whole
            // transaction (and the claim sent with it) rolls back.
            throw RunRefusal.conflict("result conflicts with run state");
          }
          finished = Finished.map(rs);
        }
        RunRow after = finished.run();
        outbox.runEvent(
            type,
            after.eventSeq(),
            RunEvents.resultReported(
                after,
                run.status(),
                attempt.attemptNo(),
                ref.runnerId(),
                result.exitCode(),
                truncate(result.errorMessage()),
                retry
                    ? "failure retry " + after.retryCount() + " of " + after.maxRetries()
                    : null));
        RunEnded ended =
            new RunEnded(
                ref.runId(),
                run.teamSlug(),
                run.appSlug(),
                reported.wire(),
                attempt.queuedAt(),
                attempt.startedAt(),
                finished.attemptFinishedAt(),
                retry);
        if (next == null) {
          return new Completed(Optional.of(ended), List.of());
        }
        if (!ps.getMoreResults()) {
          throw new SQLException("the claim after the result answered nothing");
        }
        return new Completed(Optional.of(ended), claimed(ps, next.runner(), false));
      }
    } catch (SQLException e) {
      throw new StoreException("complete run", e);
    }
  }

  /**
   * A run and the caller's attempt of it, both locked ({@link RunSql#LOCK_RUN_AND_OWN_ATTEMPT}).
   */
  private record Locked(RunRow run, AttemptRow attempt) {
    static Locked map(ResultSet rs) throws SQLException {
      return new Locked(
          RunRow.map(rs),
          new AttemptRow(
              rs.getLong("att_id"),
              rs.getInt("att_attempt_no"),
              rs.getLong("att_runner_id"),
              AttemptStatus.fromWire(rs.getString("att_status")),
              Jdbc.intOrNull(rs, "att_exit_code"),
              Jdbc.instant(rs, "att_queued_at"),
              Jdbc.instant(rs, "att_started_at"),
              rs.getBoolean("att_unexpired")));
    }
  }

  /** The run after a result, and when its attempt finished. */
  private record Finished(RunRow run, Instant attemptFinishedAt) {
    static Finished map(ResultSet rs) throws SQLException {
      return new Finished(RunRow.map(rs), Jdbc.instant(rs, "attempt_finished_at"));
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

  private static AttemptRow liveAttempt(Connection c, LeaseRef ref) throws SQLException {
    return Jdbc.queryOne(
            c,
            RunSql.LOCK_LIVE_ATTEMPT,
            AttemptRow::map,
            ref.runId(),
            ref.runnerId(),
            ref.leaseTokenHash())
        .orElseThrow(RunRefusal::gone);
  }

  private static AttemptState attemptState(Connection c, LeaseRef ref) throws SQLException {
    return Jdbc.queryOne(
            c,
            RunSql.ATTEMPT_STATE,
            AttemptTransitions::mapAttemptState,
            ref.runId(),
            ref.runnerId(),
            ref.leaseTokenHash())
        .orElseThrow(RunRefusal::gone);
  }

  private static AttemptState mapAttemptState(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    return new AttemptState(
        rs.getLong("run_id"),
        rs.getLong("id"),
        rs.getInt("attempt_no"),
        status,
        Jdbc.instant(rs, "lease_expires_at"),
        rs.getBoolean("cancel_requested") || AttemptStatus.CANCELLING.wire().equals(status),
        rs.getString("run_status"));
  }
}
