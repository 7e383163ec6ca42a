package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md scenario 6: the Kafka broker down (SIGKILL) for a while under load, with a
 * PRIVATE broker (deploy/local/kafka.sh under its own MTW_HOME and port). The API keeps answering
 * at the same order of latency, the outbox grows, then drains, and a consumer sees every event id.
 */
class KafkaFaultIT {

  @Test
  void brokerDownApiKeepsAnsweringOutboxGrowsThenDrainsAndNoEventIsLost() throws Exception {
    long downMs = Sys.pick(10_000, 180_000);
    try (LocalInfra kafka = LocalInfra.kafka().start();
        Events events = new Events(kafka.bootstrap());
        Stack stack = new Stack(Sys.createDatabase("mt_kafkafault"), kafka.bootstrap(), true)) {
      Svc api = stack.add("api-service");
      Svc runners = stack.add("runner-service");
      stack.add("scheduler-service");
      stack.awaitReady();
      await().atMost(Duration.ofSeconds(60)).until(events::positioned);
      Api team = Api.bootstrap(api.baseUrl(), "boot-secret", "kafka-faults", "fault-password");
      team.deployShell("kafka-job", "#!/bin/sh\necho hi\n");
      assertThat(team.post("/api/v1/environments", "{\"name\":\"k-env\"}").status()).isIn(200, 201);
      Runner runner = Runner.register(runners.baseUrl(), "kafka-runner", "k-env");
      String unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL";
      long outboxMax = 0;
      long recovery;
      double p99Before;
      double p99During;
      long errorsDuring;
      long requestsDuring;
      try (Load load = new Load(team, "kafka-job", "k-env", runner, 20).start()) {
        long t0 = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.completedRuns.size() >= 30);
        await().atMost(Duration.ofSeconds(60)).until(() -> events.records() > 0);
        long downAt = System.currentTimeMillis();
        p99Before = load.p99(t0, downAt);
        long errorsBefore = load.createErrors.get();
        kafka.killKafka();
        // Down: requests keep being answered, events pile up in the outbox.
        long end = System.currentTimeMillis() + downMs;
        while (System.currentTimeMillis() < end) {
          outboxMax = Math.max(outboxMax, stack.scalar(unpublished));
          Thread.sleep(500);
        }
        long upAt = System.currentTimeMillis();
        p99During = load.p99(downAt, upAt);
        requestsDuring = load.requestsBetween(downAt, upAt);
        errorsDuring = load.createErrors.get() - errorsBefore;
        assertThat(stack.services).allMatch(Svc::ready);
        kafka.start();
        long t1 = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> stack.scalar(unpublished) < 50);
        recovery = (System.nanoTime() - t1) / 1_000_000;
      }
      PostgresFaultIT.Invariants inv = PostgresFaultIT.Invariants.check(stack, events);
      Sys.report(
          String.format(
              "FAULT scenario=6 runs=%d faults=1 down_ms=%d api_requests_during=%d"
                  + " api_errors_during=%d p99_before_ms=%.1f p99_during_ms=%.1f outbox_max=%d"
                  + " events=%d lost_events=%d duplicate_deliveries=%d double_results=%d"
                  + " recovery_ms=%d",
              stack.scalar("SELECT count(*) FROM runs"),
              downMs,
              requestsDuring,
              errorsDuring,
              p99Before,
              p99During,
              outboxMax,
              stack.scalar("SELECT count(*) FROM outbox"),
              inv.lostEvents(),
              events.duplicates(),
              inv.doubleResults(),
              recovery));
      assertThat(errorsDuring).as("API errors while the broker was down").isZero();
      assertThat(requestsDuring).as("API answered while the broker was down").isPositive();
      assertThat(outboxMax).as("the outbox grew while the broker was down").isPositive();
      assertThat(p99During)
          .as(
              "p99 while down (%.1f ms) of the same order as before (%.1f ms)",
              p99During, p99Before)
          .isLessThan(Math.max(10 * p99Before, 2000));
      inv.assertHeld();
    }
  }
}
