package dev.minitower.scheduler.outbox;

import dev.minitower.scheduler.config.SchedulerConfig;
import dev.minitower.scheduler.kafka.KafkaClients;
import dev.minitower.store.outbox.OutboxStore;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * The outbox relay (docs/outbox.md): one active instance across replicas (advisory lock), a single
 * thread that publishes batches while there is a backlog, polls while there is none, and backs off
 * exponentially while the broker fails. API requests never touch it: they only insert rows.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
  private static final int DELETE_BATCH = 1000;
  private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

  private final OutboxStore store;
  private final OutboxPublisher publisher;
  private final KafkaClients kafka;
  private final AgroalDataSource dataSource;
  private final SchedulerConfig config;
  private final Clock clock;

  private volatile boolean running;
  private Thread thread;
  private RelayLeadership leadership;
  private Producer<String, String> producer;
  private Instant lastCleanup = Instant.EPOCH;

  OutboxRelay(
      OutboxStore store,
      KafkaClients kafka,
      AgroalDataSource dataSource,
      SchedulerConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.store = store;
    this.kafka = kafka;
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.publisher = new OutboxPublisher(store, clock, registry);
  }

  void start(@Observes StartupEvent event) {
    if (config.outbox().relayEnabled()) {
      start();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts the relay thread (idempotent). */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    leadership = new RelayLeadership(dataSource, config.outbox().lockKey());
    thread = new Thread(this::loop, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the thread and gives the leadership up. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
  }

  public boolean isLeader() {
    RelayLeadership l = leadership;
    return l != null && l.isLeader();
  }

  private void loop() {
    int failures = 0;
    try {
      while (running) {
        try {
          if (!leadership.holdOrAcquire()) {
            pause(config.outbox().standbyInterval());
            continue;
          }
          if (producer == null) {
            producer = kafka.producer();
          }
          int n = publisher.publishBatch(producer, config.outbox().batchSize(), ACK_TIMEOUT);
          if (failures > 0) {
            LOG.infof("outbox relay recovered published=%d", n);
          }
          failures = 0;
          cleanupIfDue();
          if (n < config.outbox().batchSize()) {
            pause(config.outbox().pollInterval());
          }
        } catch (RuntimeException e) {
          failures++;
          closeProducer();
          Duration backoff = backoff(failures);
          LOG.warnf(
              "outbox relay error attempt=%d retry_in_ms=%d error=%s",
              failures, backoff.toMillis(), e.getMessage());
          pause(backoff);
        }
      }
    } finally {
      closeProducer();
      leadership.release();
    }
  }

  private Duration backoff(int failures) {
    long ms = 500L << Math.min(failures - 1, 10);
    return Duration.ofMillis(Math.min(ms, config.outbox().maxBackoff().toMillis()));
  }

  private void cleanupIfDue() {
    Instant now = clock.instant();
    if (Duration.between(lastCleanup, now).compareTo(CLEANUP_EVERY) < 0) {
      return;
    }
    lastCleanup = now;
    deletePublished(now);
  }

  /** Deletes published rows older than the retention, in small batches; answers how many. */
  public int deletePublished(Instant now) {
    Instant before = now.minus(config.outbox().retention());
    int total = 0;
    for (int i = 0; i < 100; i++) {
      int n = store.deletePublished(before, DELETE_BATCH);
      total += n;
      if (n < DELETE_BATCH) {
        break;
      }
    }
    return total;
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        // closing a failed producer may fail too
      }
      producer = null;
    }
  }

  private void pause(Duration d) {
    if (running) {
      LockSupport.parkNanos(d.toNanos());
    }
  }
}
