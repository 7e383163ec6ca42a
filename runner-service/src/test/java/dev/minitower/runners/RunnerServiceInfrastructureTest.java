package dev.minitower.runners;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.testsupport.ServiceInfrastructureContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * runner-service boots on the real stack (no broker: it has no Kafka client): probes, metrics,
 * migrated schema, PostgreSQL.
 */
@QuarkusTest
class RunnerServiceInfrastructureTest extends ServiceInfrastructureContract {

  @Test
  void hasNoKafkaClient() {
    assertThatThrownBy(() -> Class.forName("org.apache.kafka.clients.producer.KafkaProducer"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
