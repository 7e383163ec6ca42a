package dev.minitower.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A plain Kafka consumer on the run and runner topics, from the offsets current when it was created
 * (shared brokers hold other tests' events), counting every CloudEvent id it sees. A consumer that
 * dedupes by event id applies each effect once: {@link #distinct()}.
 */
public final class Events implements AutoCloseable {
  public static final List<String> TOPICS =
      List.of("minitower.run-events", "minitower.runner-events");
  private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
  private final AtomicLong records = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final String bootstrap;
  private volatile Map<TopicPartition, Long> start;

  public Events(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    thread = new Thread(() -> loop(p), "events-" + bootstrap);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(Properties p) {
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = partitions(c);
      Map<TopicPartition, Long> end = new HashMap<>();
      if (!parts.isEmpty()) {
        c.assign(parts);
        end = c.endOffsets(parts, Duration.ofSeconds(30));
        end.forEach(c::seek);
      }
      start = end;
      int since = 0;
      while (running.get()) {
        if (c.assignment().isEmpty()) {
          sleep(300);
        }
        for (ConsumerRecord<String, String> r :
            c.assignment().isEmpty()
                ? List.<ConsumerRecord<String, String>>of()
                : c.poll(Duration.ofMillis(300))) {
          records.incrementAndGet();
          try {
            JsonNode j = Http.JSON.readTree(r.value());
            seen.computeIfAbsent(j.path("id").asText(), k -> new AtomicLong()).incrementAndGet();
          } catch (Exception e) {
            seen.computeIfAbsent("unparseable:" + r.offset(), k -> new AtomicLong())
                .incrementAndGet();
          }
        }
        // A fresh broker creates partitions lazily: pick up new ones from offset 0.
        if (++since % 10 == 0) {
          List<TopicPartition> now = partitions(c);
          if (!now.isEmpty() && !new HashSet<>(now).equals(c.assignment())) {
            Set<TopicPartition> added = new HashSet<>(now);
            added.removeAll(c.assignment());
            c.assign(now);
            for (TopicPartition tp : added) {
              c.seek(tp, 0);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      System.err.println("events consumer stopped: " + e);
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
    List<TopicPartition> parts = new ArrayList<>();
    for (String t : TOPICS) {
      try {
        List<PartitionInfo> info = c.partitionsFor(t, Duration.ofSeconds(3));
        if (info != null) {
          for (PartitionInfo i : info) {
            parts.add(new TopicPartition(i.topic(), i.partition()));
          }
        }
      } catch (RuntimeException e) {
        // unknown topic or broker down: nothing yet
      }
    }
    return parts;
  }

  /** True once the consumer is positioned (it misses nothing published after that). */
  public boolean positioned() {
    return start != null;
  }

  /** Distinct event ids seen. */
  public Set<String> distinct() {
    return new HashSet<>(seen.keySet());
  }

  /** Records seen beyond the first of each id. */
  public long duplicates() {
    return seen.values().stream().mapToLong(a -> a.get() - 1).sum();
  }

  public long records() {
    return records.get();
  }

  public long timesSeen(String id) {
    AtomicLong a = seen.get(id);
    return a == null ? 0 : a.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
