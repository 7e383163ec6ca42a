package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.scheduler.kafka.KafkaClients;
import dev.minitower.testsupport.ServiceInfrastructureContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * scheduler-service boots on the real stack: probes, metrics, migrated schema, PostgreSQL and Kafka
 * (the scheduler is the only service with a broker client: its outbox relay publishes).
 */
@QuarkusTest
class SchedulerServiceInfrastructureTest extends ServiceInfrastructureContract {

  @Inject KafkaClients kafka;

  @Test
  void producesToAndConsumesFromTheBroker() throws Exception {
    String topic = "minitower.selftest." + UUID.randomUUID();
    String value = "ping-" + UUID.randomUUID();
    try (KafkaProducer<String, String> producer = kafka.producer()) {
      producer.send(new ProducerRecord<>(topic, "key", value)).get();
    }
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = kafka.consumer("selftest-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!seen.contains(value) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(r.value());
        }
      }
    }
    assertThat(seen).contains(value);
  }
}
