package dev.minitower.store.outbox;

import dev.minitower.model.event.CloudEvent;
import dev.minitower.model.event.EventCodec;
import dev.minitower.model.event.EventTopics;
import dev.minitower.model.event.RunEventData;
import dev.minitower.model.event.RunEventType;
import dev.minitower.model.event.RunnerEventData;
import dev.minitower.model.event.RunnerEventType;
import dev.minitower.model.wire.WireTime;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Appends lifecycle events to the {@code outbox} table inside the caller's transaction, so an event
 * exists if and only if its state change committed. The relay in scheduler-service publishes them.
 */
@ApplicationScoped
public class OutboxWriter {
  /**
   * Channel on which every run event also announces its run id at commit, so api-service replicas
   * can push live updates without waiting for the relay and the broker.
   */
  public static final String RUN_CHANGED_CHANNEL = "minitower_run_changed";

  private static final String INSERT =
      "INSERT INTO outbox (event_id, topic, message_key, event_type, payload)"
          + " VALUES (?, ?, ?, ?, ?::jsonb)";

  /** A run event and its announcement in one round trip (the hot path writes two per lease). */
  private static final String INSERT_AND_NOTIFY_RUN_CHANGED =
      "WITH e AS ("
          + INSERT
          + " RETURNING message_key) SELECT pg_notify('"
          + RUN_CHANGED_CHANNEL
          + "', e.message_key) FROM e";

  private final AgroalDataSource dataSource;
  private final Clock clock;
  private final String source;

  OutboxWriter(
      AgroalDataSource dataSource,
      Clock clock,
      @ConfigProperty(name = "quarkus.application.name", defaultValue = "minitower")
          String source) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.source = "/minitower/" + source;
  }

  /** A run event; {@code sequence} is the run's {@code event_seq} after this change. */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID runEvent(RunEventType type, long sequence, RunEventData data) {
    return append(
        INSERT_AND_NOTIFY_RUN_CHANGED,
        EventTopics.RUN_EVENTS,
        Long.toString(data.runId()),
        type.type(),
        sequence,
        data);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public UUID runnerEvent(RunnerEventType type, RunnerEventData data) {
    return append(
        INSERT, EventTopics.RUNNER_EVENTS, Long.toString(data.runnerId()), type.type(), null, data);
  }

  private UUID append(
      String sql, String topic, String key, String type, Long sequence, Object data) {
    UUID id = UUID.randomUUID();
    CloudEvent event =
        new CloudEvent(
            CloudEvent.SPEC_VERSION,
            id.toString(),
            source,
            type,
            key,
            WireTime.format(clock.instant()),
            CloudEvent.JSON,
            sequence,
            EventCodec.toTree(data));
    try (Connection c = dataSource.getConnection()) {
      if (sql.equals(INSERT)) {
        Jdbc.update(c, sql, id, topic, key, type, EventCodec.encode(event));
      } else {
        Jdbc.query(c, sql, rs -> true, id, topic, key, type, EventCodec.encode(event));
      }
    } catch (SQLException e) {
      throw new StoreException("append outbox event", e);
    }
    return id;
  }
}
