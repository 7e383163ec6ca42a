package dev.minitower.store.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.event.RunEventData;
import dev.minitower.model.event.RunEventType;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Run events are collected per transaction and written together just before it commits: in the
 * order they were appended, and not at all when the transaction rolls back.
 */
@QuarkusTest
class OutboxWriterTest {
  @Inject OutboxWriter outbox;
  @Inject DbFixtures db;

  private static RunEventData data(long runId, String status) {
    return new RunEventData(
        runId, 1, 1, "team", 1, "app", "default", status, null, 0, null, null, null, null, null);
  }

  private String events(long runId) {
    return db.string(
        "SELECT string_agg(replace(event_type, 'dev.minitower.', '') || '@' ||"
            + " (payload->>'sequence'), ',' ORDER BY id) FROM outbox WHERE message_key = ?",
        Long.toString(runId));
  }

  @Test
  void theEventsOfATransactionAreWrittenAtCommitInTheOrderAppended() {
    long runId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              outbox.runEvent(RunEventType.CREATED, 1, data(runId, "queued"));
              // Nothing is written before the commit.
              assertThat(events(runId)).isNull();
              outbox.runEvents(
                  List.of(
                      new OutboxWriter.RunEvent(RunEventType.LEASED, 2, data(runId, "leased")),
                      new OutboxWriter.RunEvent(RunEventType.STARTED, 3, data(runId, "running"))));
              outbox.runEvent(RunEventType.COMPLETED, 4, data(runId, "completed"));
            });
    assertThat(events(runId)).isEqualTo("run.created@1,run.leased@2,run.started@3,run.completed@4");
    // One statement: the four rows have consecutive ids.
    assertThat(
            db.string(
                "SELECT (max(id) - min(id))::text FROM outbox WHERE message_key = ?",
                Long.toString(runId)))
        .isEqualTo("3");
  }

  @Test
  void aRolledBackTransactionLeavesNoEvent() {
    long runId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    assertThatThrownBy(
            () ->
                QuarkusTransaction.requiringNew()
                    .run(
                        () -> {
                          outbox.runEvent(RunEventType.CREATED, 1, data(runId, "queued"));
                          throw new IllegalStateException("the change failed");
                        }))
        .hasMessageContaining("the change failed");
    assertThat(events(runId)).isNull();
  }
}
