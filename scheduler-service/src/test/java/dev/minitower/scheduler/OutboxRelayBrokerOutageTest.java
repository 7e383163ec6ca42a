package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.model.event.CloudEvent;
import dev.minitower.model.event.EventCodec;
import dev.minitower.model.event.EventTopics;
import dev.minitower.scheduler.kafka.KafkaClients;
import dev.minitower.scheduler.outbox.OutboxRelay;
import dev.minitower.testsupport.DbFixtures;
import dev.minitower.testsupport.Management;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real broker (docs/reliability.md scenario 6): runs go through their lifecycle
 * while the relay publishes; the broker is stopped in the middle and started again; a consumer that
 * deduplicates by event id ends with every expected event exactly once, in per-run order.
 */
@QuarkusTest
@TestProfile(RelayWithPrivateBroker.class)
class OutboxRelayBrokerOutageTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  @Inject OutboxRelay relay;
  @Inject RunSteps steps;
  @Inject DbFixtures db;
  @Inject KafkaClients kafka;
  @Inject AgroalDataSource dataSource;

  @Test
  void everyEventArrivesOnceAfterDedupeAndInRunOrderAcrossABrokerRestart() throws Exception {
    db.clearQueue();
    DbFixtures.App app = db.app(DbFixtures.uniqueEnvironment());
    long runner = db.runner(null, app.env(), 256);
    await().atMost(Duration.ofSeconds(30)).until(relay::isLeader);

    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(fullLifecycle(app, runner));
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> unpublished(app.appId()) == 0);

    PrivateBroker.stopBroker();
    long started = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      runs.add(fullLifecycle(app, runner));
    }
    for (int i = 0; i < 3; i++) {
      long run = steps.create(app, 0, false);
      steps.cancel(app.teamId(), run);
      runs.add(run);
    }
    Duration spent = Duration.ofNanos(System.nanoTime() - started);
    assertThat(spent)
        .as("state changes never wait for the broker")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(unpublished(app.appId())).as("backlog while the broker is down").isPositive();
    // The gauge is read at scrape time through a cache of a couple of seconds.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(Management.scrape(management))
                    .containsPattern("minitower_outbox_backlog [1-9]"));

    PrivateBroker.startBroker();
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> unpublished(app.appId()) == 0);

    Map<String, Long> expected = expectedEvents(app.appId()); // event id -> run id
    assertThat(expected).hasSize(10 * 4 + 3 * 2);
    Map<Long, List<CloudEvent>> perRun = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    try (KafkaConsumer<String, String> consumer = kafka.consumer("e2e-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(EventTopics.RUN_EVENTS));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!seen.containsAll(expected.keySet()) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          CloudEvent e = EventCodec.decode(r.value());
          if (!expected.containsKey(e.id())) {
            continue; // other suites' events share the database and so the topic
          }
          assertThat(r.key()).isEqualTo(e.subject());
          if (!seen.add(e.id())) {
            duplicates++; // at-least-once: the consumer drops it
            continue;
          }
          perRun.computeIfAbsent(Long.parseLong(r.key()), k -> new ArrayList<>()).add(e);
        }
      }
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (long run : runs) {
      List<CloudEvent> events = perRun.get(run);
      List<Long> sequences = events.stream().map(CloudEvent::sequence).toList();
      assertThat(sequences).as("run %d in order", run).isSorted().doesNotHaveDuplicates();
      assertThat(sequences.get(0)).isEqualTo(1L);
    }
    assertThat(perRun.get(runs.get(0)).stream().map(CloudEvent::type))
        .containsExactly(
            "dev.minitower.run.created",
            "dev.minitower.run.leased",
            "dev.minitower.run.started",
            "dev.minitower.run.completed");
    assertThat(perRun.get(runs.get(runs.size() - 1)).stream().map(CloudEvent::type))
        .containsExactly("dev.minitower.run.created", "dev.minitower.run.cancelled");
    assertThat(duplicates).as("duplicates stay within one batch").isLessThanOrEqualTo(500);
  }

  private long fullLifecycle(DbFixtures.App app, long runner) {
    long run = steps.create(app, 0, false);
    RunSteps.Lease lease = steps.lease(runner, app.env(), 256).orElseThrow();
    assertThat(lease.runId()).isEqualTo(run);
    steps.start(lease);
    steps.complete(lease, "completed", 0);
    return run;
  }

  private long unpublished(long appId) {
    return db.count(
        "SELECT count(*) FROM outbox WHERE published_at IS NULL AND topic = ?"
            + " AND (payload->'data'->>'app_id')::bigint = ?",
        EventTopics.RUN_EVENTS,
        appId);
  }

  private Map<String, Long> expectedEvents(long appId) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT event_id::text, message_key FROM outbox WHERE topic = ?"
                    + " AND (payload->'data'->>'app_id')::bigint = ?")) {
      ps.setString(1, EventTopics.RUN_EVENTS);
      ps.setLong(2, appId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), Long.parseLong(rs.getString(2)));
        }
      }
    }
    return out;
  }
}
