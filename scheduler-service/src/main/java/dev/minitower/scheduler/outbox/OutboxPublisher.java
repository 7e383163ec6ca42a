package dev.minitower.scheduler.outbox;

import dev.minitower.store.outbox.OutboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes one batch of outbox rows: sends them in id order with the idempotent producer, waits
 * for every acknowledgement, then marks the acknowledged rows published in one transaction. A row
 * whose send failed is left unpublished together with every later row of the same key, so a retry
 * resends them in order; the caller then replaces the producer and backs off.
 */
public class OutboxPublisher {
  private static final Duration[] LAG_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300),
    Duration.ofSeconds(900),
    Duration.ofSeconds(3600)
  };

  /** A batch that was only partly acknowledged. */
  public static class PublishException extends RuntimeException {
    private final int published;

    PublishException(int published, Throwable cause) {
      super("outbox publish failed after " + published + " rows: " + cause.getMessage(), cause);
      this.published = published;
    }

    public int published() {
      return published;
    }
  }

  private final OutboxStore store;
  private final Clock clock;
  private final Counter published;
  private final Timer lag;

  public OutboxPublisher(OutboxStore store, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.clock = clock;
    this.published =
        Counter.builder("minitower.outbox.published")
            .description("Outbox rows published to Kafka and acknowledged")
            .register(registry);
    this.lag =
        Timer.builder("minitower.outbox.publish.lag")
            .description("Time from an outbox row's creation to its acknowledged publication")
            .serviceLevelObjectives(LAG_BUCKETS)
            .register(registry);
  }

  private static boolean failed(Future<RecordMetadata> send) {
    try {
      send.get();
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /**
   * Publishes up to {@code limit} rows; answers how many were acknowledged and marked.
   *
   * @throws PublishException when a send failed (the acknowledged prefix is still marked)
   */
  public int publishBatch(Producer<String, String> producer, int limit, Duration ackTimeout) {
    List<OutboxStore.Row> rows = store.unpublished(limit);
    if (rows.isEmpty()) {
      return 0;
    }
    List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
    RuntimeException sendFailure = null;
    for (OutboxStore.Row row : rows) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(row.topic(), null, row.key(), row.payload());
      record.headers().add("ce_id", row.eventId().getBytes(StandardCharsets.UTF_8));
      record.headers().add("ce_type", row.type().getBytes(StandardCharsets.UTF_8));
      try {
        Future<RecordMetadata> send = producer.send(record);
        sends.add(send);
        if (send.isDone() && failed(send)) {
          // e.g. no metadata for the topic: the client answers a failed future instead of
          // throwing. Sending later rows now could put a run's later event before this one.
          break;
        }
      } catch (RuntimeException e) {
        sendFailure = e;
        break;
      }
    }
    producer.flush();
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    List<Long> acked = new ArrayList<>();
    List<Instant> created = new ArrayList<>();
    Set<String> failedKeys = new HashSet<>();
    Throwable failure = sendFailure;
    for (int i = 0; i < rows.size(); i++) {
      OutboxStore.Row row = rows.get(i);
      String key = row.topic() + "\u0000" + row.key();
      if (i >= sends.size()) {
        break;
      }
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        sends.get(i).get(left, TimeUnit.NANOSECONDS);
        if (!failedKeys.contains(key)) {
          acked.add(row.id());
          created.add(row.createdAt());
        }
      } catch (ExecutionException e) {
        failedKeys.add(key);
        failure = failure == null ? e.getCause() : failure;
      } catch (TimeoutException e) {
        failedKeys.add(key);
        failure = failure == null ? e : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = e;
        break;
      }
    }
    Instant now = clock.instant();
    store.markPublished(acked, now);
    published.increment(acked.size());
    for (Instant c : created) {
      Duration d = Duration.between(c, now);
      lag.record(d.isNegative() ? Duration.ZERO : d);
    }
    if (failure != null) {
      throw new PublishException(acked.size(), failure);
    }
    return acked.size();
  }
}
