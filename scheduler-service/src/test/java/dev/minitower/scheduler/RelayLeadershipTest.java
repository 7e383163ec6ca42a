package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.scheduler.outbox.RelayLeadership;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** One active relay across replicas: the advisory lock admits one holder, then the next. */
@QuarkusTest
class RelayLeadershipTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void onlyOneReplicaLeadsAndAStandbyTakesOverWhenTheLeaderLetsGo() {
    long key = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    try (RelayLeadership a = new RelayLeadership(dataSource, key);
        RelayLeadership b = new RelayLeadership(dataSource, key)) {
      assertThat(a.holdOrAcquire()).isTrue();
      assertThat(b.holdOrAcquire()).isFalse();
      assertThat(a.holdOrAcquire()).as("the leader keeps its lock").isTrue();
      assertThat(b.holdOrAcquire()).isFalse();

      a.release();

      assertThat(b.holdOrAcquire()).isTrue();
      assertThat(a.holdOrAcquire()).isFalse();
    }
  }
}
