package dev.minitower.store.runs;

import dev.minitower.model.event.RunEventType;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunRecords.CreateOutcome;
import dev.minitower.store.runs.RunRecords.CreatedRun;
import dev.minitower.store.runs.RunRecords.NewRun;
import dev.minitower.store.runs.RunRecords.RunEnded;
import dev.minitower.store.runs.RunRows.RunRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The run lifecycle as the client API and the schedules drive it: create a queued run, cancel one
 * (DESIGN §2–3). Each method runs inside the caller's transaction ({@code MANDATORY}), guards on
 * the statuses of {@link dev.minitower.model.run.RunTransition} and writes the lifecycle event to
 * the outbox in the same transaction. A refusal is a {@link RunRefusal} (not found, conflict); the
 * transaction then rolls back.
 */
@ApplicationScoped
public class RunLifecycle {
  private final AgroalDataSource dataSource;
  private final OutboxWriter outbox;

  RunLifecycle(AgroalDataSource dataSource, OutboxWriter outbox) {
    this.dataSource = dataSource;
    this.outbox = outbox;
  }

  /**
   * Creates a queued run with the next {@code run_no} of its app. With an idempotency key, a replay
   * with the same request hash answers the existing run; a different request is a conflict.
   */
  @Transactional(TxType.MANDATORY)
  public CreatedRun create(NewRun run) {
    return createAll(List.of(run)).get(0).orThrow();
  }

  /**
   * Creates several queued runs in the caller's transaction, each exactly as {@link #create} would
   * alone, in one insert statement and one outbox write: api-service commits creates that arrive
   * together in one transaction (a group commit). Run numbers of one app's creates without a key
   * follow the order of {@code runs}, and so do the outbox events. A create refused alone (its app
   * is not its team's, its idempotency key was used for a different request) is answered by its own
   * {@link CreateOutcome#refusal()} and changes nothing; the others are created. Two creates of one
   * batch with the same idempotency key and request are one run, the second a replay. Rows are
   * inserted in (team, app, idempotency key) order, so that two batches never wait for each other's
   * keys. A failure of the statement itself (a {@link StoreException}) fails the whole batch.
   */
  @Transactional(TxType.MANDATORY)
  public List<CreateOutcome> createAll(List<NewRun> runs) {
    int n = runs.size();
    CreateOutcome[] outcomes = new CreateOutcome[n];
    try (Connection c = dataSource.getConnection()) {
      List<Integer> toInsert = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        NewRun run = runs.get(i);
        Optional<CreateOutcome> existing =
            run.idempotencyKey() == null ? Optional.empty() : replayOrConflict(c, run);
        if (existing.isPresent()) {
          outcomes[i] = existing.get();
        } else {
          toInsert.add(i);
        }
      }
      if (!toInsert.isEmpty()) {
        // Inserted in (team, app, idempotency key) order: a key taken by another open
        // transaction makes the insert wait for it, so two groups taking keys in opposite orders
        // would deadlock. The order among concurrent creates is theirs to choose; numbers of one
        // app still follow the arrival order of its creates without a key.
        toInsert.sort(
            Comparator.<Integer>comparingLong(i -> runs.get(i).teamId())
                .thenComparingLong(i -> runs.get(i).appId())
                .thenComparing(
                    i -> runs.get(i).idempotencyKey(),
                    Comparator.nullsFirst(Comparator.naturalOrder())));
        insert(c, runs, toInsert, outcomes);
      }
      for (int i : toInsert) {
        if (outcomes[i] == null) {
          // Either the app is not the team's, or a concurrent create (or an earlier one of this
          // batch) took the key: ON CONFLICT waited for it to commit, so it is visible now.
          NewRun run = runs.get(i);
          outcomes[i] =
              (run.idempotencyKey() == null
                      ? Optional.<CreateOutcome>empty()
                      : replayOrConflict(c, run))
                  .orElseGet(() -> CreateOutcome.refused(RunRefusal.notFound("app not found")));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("create run", e);
    }
    return Arrays.asList(outcomes);
  }

  /** Inserts {@code runs} at the positions {@code toInsert}, filling in the outcome of each row. */
  private void insert(
      Connection c, List<NewRun> runs, List<Integer> toInsert, CreateOutcome[] outcomes)
      throws SQLException {
    int m = toInsert.size();
    Long[] teams = new Long[m];
    Long[] apps = new Long[m];
    Long[] versions = new Long[m];
    Long[] envIds = new Long[m];
    String[] envNames = new String[m];
    Long[] schedules = new Long[m];
    String[] inputs = new String[m];
    Integer[] priorities = new Integer[m];
    Integer[] maxRetries = new Integer[m];
    Boolean[] retryOnFailure = new Boolean[m];
    String[] keys = new String[m];
    String[] hashes = new String[m];
    for (int j = 0; j < m; j++) {
      NewRun run = runs.get(toInsert.get(j));
      teams[j] = run.teamId();
      apps[j] = run.appId();
      versions[j] = run.appVersionId();
      envIds[j] = run.environmentId();
      envNames[j] = run.environmentName();
      schedules[j] = run.scheduleId();
      inputs[j] = run.inputJson();
      priorities[j] = run.priority();
      maxRetries[j] = run.maxRetries();
      retryOnFailure[j] = run.retryOnFailure();
      keys[j] = run.idempotencyKey();
      hashes[j] = run.requestHash();
    }
    record Inserted(int ord, RunRow row, RunQueries.RunRow view) {}
    List<Inserted> inserted =
        Jdbc.query(
            c,
            RunSql.INSERT_RUNS,
            rs -> new Inserted(rs.getInt("ord"), RunRow.map(rs), RunQueries.row(rs)),
            c.createArrayOf("bigint", teams),
            c.createArrayOf("bigint", apps),
            c.createArrayOf("bigint", versions),
            c.createArrayOf("bigint", envIds),
            c.createArrayOf("text", envNames),
            c.createArrayOf("bigint", schedules),
            c.createArrayOf("text", inputs),
            c.createArrayOf("int4", priorities),
            c.createArrayOf("int4", maxRetries),
            c.createArrayOf("bool", retryOnFailure),
            c.createArrayOf("text", keys),
            c.createArrayOf("text", hashes));
    // INSERT_RUNS announced each run on the queued channel already; rows come in array order.
    List<OutboxWriter.RunEvent> events = new ArrayList<>(inserted.size());
    for (Inserted in : inserted) {
      RunRow row = in.row();
      outcomes[toInsert.get(in.ord() - 1)] =
          CreateOutcome.of(new CreatedRun(row.id(), row.runNo(), false, in.view()));
      events.add(
          new OutboxWriter.RunEvent(RunEventType.CREATED, row.eventSeq(), RunEvents.created(row)));
    }
    outbox.runEvents(events);
  }

  /** The run that took {@code run}'s idempotency key: a replay, or a conflict; empty if none. */
  private static Optional<CreateOutcome> replayOrConflict(Connection c, NewRun run)
      throws SQLException {
    try {
      return findByIdempotencyKey(c, run).map(CreateOutcome::of);
    } catch (RunRefusal conflict) {
      return Optional.of(CreateOutcome.refused(conflict));
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
      switch (run.status()) {
        case QUEUED -> {
          RunRow done = Jdbc.queryOne(c, RunSql.CANCEL_QUEUED, RunRow::map, runId).orElseThrow();
          outbox.runEvent(
              RunEventType.CANCELLED, done.eventSeq(), RunEvents.cancelledWhileQueued(done));
          return Optional.of(
              new RunEnded(
                  runId,
                  done.teamSlug(),
                  done.appSlug(),
                  RunStatus.CANCELLED.wire(),
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
              RunEvents.cancelRequested(marked, run.status()));
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
}
