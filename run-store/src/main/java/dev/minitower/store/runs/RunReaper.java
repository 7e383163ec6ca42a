package dev.minitower.store.runs;

import dev.minitower.model.event.RunEventType;
import dev.minitower.model.run.AttemptStatus;
import dev.minitower.model.run.RunStatus;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunRecords.ReapOutcome;
import dev.minitower.store.runs.RunRecords.Reaped;
import dev.minitower.store.runs.RunRows.AttemptRow;
import dev.minitower.store.runs.RunRows.RunRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reaper's transitions (runs.md §7): attempts whose lease expired are found, then each is ended
 * on the cancel path, the retry path or the dead path, with its lifecycle event in the same
 * transaction. {@code asOf} null is the database's clock (production); tests pass an instant.
 */
@ApplicationScoped
public class RunReaper {
  private final AgroalDataSource dataSource;
  private final OutboxWriter outbox;

  RunReaper(AgroalDataSource dataSource, OutboxWriter outbox) {
    this.dataSource = dataSource;
    this.outbox = outbox;
  }

  /**
   * Ids of live attempts whose lease expired at {@code asOf}, oldest first. Reading needs no
   * transaction; each is then handled by {@link #reap}.
   */
  public List<Long> expiredAttempts(Instant asOf, int limit) {
    Object at = asOf == null ? Jdbc.TypedNull.TIMESTAMP : asOf;
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(c, RunSql.EXPIRED_ATTEMPTS, rs -> rs.getLong(1), at, limit);
    } catch (SQLException e) {
      throw new StoreException("find expired attempts", e);
    }
  }

  /**
   * Handles one expired attempt: cancel path, retry path or dead path. The run row is locked with
   * {@code SKIP LOCKED} and the attempt re-checked, so two reapers (or a racing heartbeat or
   * result) never both act on it.
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
              || attempt.status() == AttemptStatus.CANCELLING
              || run.status() == RunStatus.CANCELLING;
      ReapOutcome outcome;
      RunRow after;
      RunEventType type;
      if (cancel) {
        // RunTransition.EXPIRE_CANCELLED
        Jdbc.update(c, RunSql.ATTEMPT_END, AttemptStatus.CANCELLED.wire(), attemptId);
        after =
            Jdbc.queryOne(c, RunSql.RUN_FINISH, RunRow::map, RunStatus.CANCELLED.wire(), run.id())
                .orElseThrow();
        outcome = ReapOutcome.CANCELLED;
        type = RunEventType.CANCELLED;
      } else if (run.retryCount() < run.maxRetries()) {
        // RunTransition.REQUEUE_EXPIRED
        Jdbc.update(c, RunSql.ATTEMPT_END, AttemptStatus.EXPIRED.wire(), attemptId);
        after = Jdbc.queryOne(c, RunSql.REQUEUE_EXPIRED, RunRow::map, run.id()).orElseThrow();
        outcome = ReapOutcome.RETRIED;
        type = RunEventType.REQUEUED;
        RunRows.notifyQueued(c, after.environment());
      } else {
        // RunTransition.EXPIRE_DEAD
        Jdbc.update(c, RunSql.ATTEMPT_END, AttemptStatus.EXPIRED.wire(), attemptId);
        after =
            Jdbc.queryOne(c, RunSql.RUN_FINISH, RunRow::map, RunStatus.DEAD.wire(), run.id())
                .orElseThrow();
        outcome = ReapOutcome.DEAD;
        type = RunEventType.DEAD;
      }
      outbox.runEvent(
          type,
          after.eventSeq(),
          RunEvents.leaseExpired(after, run.status(), attempt.attemptNo(), attempt.runnerId()));
      return new Reaped(outcome, run.id(), run.teamSlug(), run.appSlug());
    } catch (SQLException e) {
      throw new StoreException("reap attempt", e);
    }
  }
}
