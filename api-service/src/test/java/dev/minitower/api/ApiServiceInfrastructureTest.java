package dev.minitower.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.testsupport.ServiceInfrastructureContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * api-service boots on the real stack (no broker: it has no Kafka client): probes, metrics, schema.
 */
@QuarkusTest
class ApiServiceInfrastructureTest extends ServiceInfrastructureContract {

  @Test
  void hasNoKafkaClient() {
    assertThatThrownBy(() -> Class.forName("org.apache.kafka.clients.producer.KafkaProducer"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
