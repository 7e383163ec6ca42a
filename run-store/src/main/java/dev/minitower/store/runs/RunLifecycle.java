package dev.minitower.store.runs;

import dev.minitower.model.event.RunEventType;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
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
    try (Connection c = dataSource.getConnection()) {
      if (run.idempotencyKey() != null) {
        Optional<CreatedRun> existing = findByIdempotencyKey(c, run);
        if (existing.isPresent()) {
          return existing.get();
        }
      }
      record Inserted(RunRow row, RunQueries.RunRow view) {}
      Optional<Inserted> inserted =
          Jdbc.queryOne(
              c,
              RunSql.INSERT_RUN,
              rs -> new Inserted(RunRow.map(rs), RunQueries.row(rs)),
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
      RunRow row = inserted.get().row();
      // INSERT_RUN announced the run on the queued channel already.
      outbox.runEvent(RunEventType.CREATED, row.eventSeq(), RunEvents.created(row));
      return new CreatedRun(row.id(), row.runNo(), false, inserted.get().view());
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
