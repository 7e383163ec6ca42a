package dev.minitower.store.outbox;

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
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Appends lifecycle events to the {@code outbox} table inside the caller's transaction, so an event
 * exists if and only if its state change committed. The relay in scheduler-service publishes them.
 * Run events are collected and written together just before the transaction commits; runner events
 * (rare) are written at once.
 */
@ApplicationScoped
public class OutboxWriter {
  /**
   * Channel on which every run event also announces its run id at commit, so api-service replicas
   * can push live updates without waiting for the relay and the broker.
   */
  public static final String RUN_CHANGED_CHANNEL = "minitower_run_changed";

  /** One event (public so that the bench's SQL ceiling runs this very statement). */
  public static final String INSERT =
      "INSERT INTO outbox (event_id, topic, message_key, event_type, payload)"
          + " VALUES (?, ?, ?, ?, ?::jsonb)";

  /** A run event and its announcement in one round trip (the hot path writes two per lease). */
  private static final String INSERT_AND_NOTIFY_RUN_CHANGED =
      "WITH e AS ("
          + INSERT
          + " RETURNING message_key) SELECT pg_notify('"
          + RUN_CHANGED_CHANNEL
          + "', e.message_key) FROM e";

  /**
   * Several run events of one transaction in one statement, in the order given (outbox ids follow
   * the array order, which is the order the relay publishes), each run announced once.
   */
  private static final String INSERT_MANY_AND_NOTIFY_RUN_CHANGED =
      "WITH e AS (INSERT INTO outbox (event_id, topic, message_key, event_type, payload)"
          + " SELECT u.id::uuid, ?, u.k, u.t, u.p::jsonb"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, k, t, p)"
          + " RETURNING message_key)"
          + " SELECT pg_notify('"
          + RUN_CHANGED_CHANNEL
          + "', d.k) FROM (SELECT DISTINCT message_key AS k FROM e) d";

  /** A run event to append: {@code sequence} is the run's {@code event_seq} after its change. */
  public record RunEvent(RunEventType type, long sequence, RunEventData data) {}

  /** Key of the current transaction's pending run events in the synchronization registry. */
  private static final Object PENDING_KEY = new Object();

  private final AgroalDataSource dataSource;
  private final Clock clock;
  private final String source;
  private final TransactionSynchronizationRegistry registry;

  OutboxWriter(
      AgroalDataSource dataSource,
      Clock clock,
      TransactionSynchronizationRegistry registry,
      @ConfigProperty(name = "quarkus.application.name", defaultValue = "minitower")
          String source) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.registry = registry;
    this.source = "/minitower/" + source;
  }

  /**
   * A run event; {@code sequence} is the run's {@code event_seq} after this change. It is written
   * when the transaction commits, with every other run event of the transaction, in one statement
   * and in the order they were appended (see {@link #runEvents}).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void runEvent(RunEventType type, long sequence, RunEventData data) {
    pending().add(new RunEvent(type, sequence, data));
  }

  /**
   * Appends {@code events}, in order, to the run events the transaction writes at commit: a
   * transaction writes all its run events (a result that also leases the next run writes three) in
   * one round trip, just before it commits, so an event still exists if and only if its change
   * committed. The relay publishes in outbox id order, which is the order of appending.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void runEvents(List<RunEvent> events) {
    if (!events.isEmpty()) { // an empty lease poll registers nothing with its transaction
      pending().addAll(events);
    }
  }

  /** The run events of the current transaction, written by its {@code beforeCompletion}. */
  @SuppressWarnings("unchecked")
  private List<RunEvent> pending() {
    List<RunEvent> pending = (List<RunEvent>) registry.getResource(PENDING_KEY);
    if (pending == null) {
      List<RunEvent> created = new ArrayList<>(4);
      registry.putResource(PENDING_KEY, created);
      registry.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {
              write(created);
            }

            @Override
            public void afterCompletion(int status) {}
          });
      pending = created;
    }
    return pending;
  }

  private void write(List<RunEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    if (events.size() == 1) {
      RunEvent e = events.get(0);
      append(
          INSERT_AND_NOTIFY_RUN_CHANGED,
          EventTopics.RUN_EVENTS,
          Long.toString(e.data().runId()),
          e.type().type(),
          e.sequence(),
          e.data());
      return;
    }
    int n = events.size();
    String[] ids = new String[n];
    String[] keys = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      RunEvent e = events.get(i);
      UUID id = UUID.randomUUID();
      ids[i] = id.toString();
      keys[i] = Long.toString(e.data().runId());
      types[i] = e.type().type();
      payloads[i] = encode(id, e.type().type(), keys[i], e.sequence(), e.data());
    }
    try (Connection c = dataSource.getConnection()) {
      Jdbc.query(
          c,
          INSERT_MANY_AND_NOTIFY_RUN_CHANGED,
          rs -> true,
          EventTopics.RUN_EVENTS,
          c.createArrayOf("text", ids),
          c.createArrayOf("text", keys),
          c.createArrayOf("text", types),
          c.createArrayOf("text", payloads));
    } catch (SQLException e) {
      throw new StoreException("append outbox events", e);
    }
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public UUID runnerEvent(RunnerEventType type, RunnerEventData data) {
    return append(
        INSERT, EventTopics.RUNNER_EVENTS, Long.toString(data.runnerId()), type.type(), null, data);
  }

  private UUID append(
      String sql, String topic, String key, String type, Long sequence, Object data) {
    UUID id = UUID.randomUUID();
    String payload = encode(id, type, key, sequence, data);
    try (Connection c = dataSource.getConnection()) {
      if (sql.equals(INSERT)) {
        Jdbc.update(c, sql, id, topic, key, type, payload);
      } else {
        Jdbc.query(c, sql, rs -> true, id, topic, key, type, payload);
      }
    } catch (SQLException e) {
      throw new StoreException("append outbox event", e);
    }
    return id;
  }

  private String encode(UUID id, String type, String key, Long sequence, Object data) {
    return EventCodec.encode(
        id.toString(), source, type, key, WireTime.format(clock.instant()), sequence, data);
  }
}
