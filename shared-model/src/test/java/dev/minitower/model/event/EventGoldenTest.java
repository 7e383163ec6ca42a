package dev.minitower.model.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wire contract of the lifecycle events (docs/events.md), pinned by golden files under {@code
 * src/test/resources/golden/events}: what the producers encode must equal the file byte for byte
 * (field names, order, omitted nulls), and what consumers decode from the file must equal the
 * records. A change here is a change of the contract.
 */
class EventGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RunEventData run(
      String status,
      String previous,
      int retries,
      Integer attemptNo,
      Long runnerId,
      Integer exitCode,
      String error,
      String reason) {
    return new RunEventData(
        4211,
        17,
        3,
        "acme",
        12,
        "nightly-report",
        "default",
        status,
        previous,
        retries,
        attemptNo,
        runnerId,
        exitCode,
        error,
        reason);
  }

  private static final Map<RunEventType, RunEventData> RUN_DATA =
      Map.of(
          RunEventType.CREATED, run("queued", null, 0, null, null, null, null, null),
          RunEventType.LEASED, run("leased", "queued", 0, 1, 7L, null, null, null),
          RunEventType.STARTED, run("running", "leased", 0, 1, 7L, null, null, null),
          RunEventType.CANCEL_REQUESTED,
              run("cancelling", "running", 0, null, null, null, null, "cancel requested"),
          RunEventType.COMPLETED, run("completed", "running", 0, 1, 7L, 0, null, null),
          RunEventType.FAILED, run("failed", "running", 0, 1, 7L, 1, "exit status 1", null),
          RunEventType.CANCELLED, run("cancelled", "cancelling", 0, 1, 7L, 143, null, null),
          RunEventType.REQUEUED, run("queued", "running", 1, 1, 7L, null, null, "lease expired"),
          RunEventType.DEAD, run("dead", "running", 1, 2, 9L, null, null, "lease expired"));

  private static final Map<RunnerEventType, RunnerEventData> RUNNER_DATA =
      Map.of(
          RunnerEventType.REGISTERED, new RunnerEventData(7, "runner-1", "default", null, "online"),
          RunnerEventType.OFFLINE, new RunnerEventData(7, "runner-1", "default", 3L, "offline"),
          RunnerEventType.PRUNED, new RunnerEventData(7, "runner-1", "default", 3L, "offline"));

  @ParameterizedTest
  @EnumSource(RunEventType.class)
  void runEventEncodesExactlyAsItsGoldenFile(RunEventType type) throws IOException {
    JsonNode golden = golden("run-" + type.name().toLowerCase(Locale.ROOT));
    CloudEvent event = envelope(golden, RUN_DATA.get(type));

    assertThat(EventCodec.encode(event)).isEqualTo(JSON.writeValueAsString(golden));
    assertThat(direct(event, RUN_DATA.get(type))).isEqualTo(JSON.writeValueAsString(golden));
    assertThat(event.type()).isEqualTo(type.type());
    assertThat(RunEventType.fromType(golden.get("type").asText())).isEqualTo(type);
    assertThat(event.subject()).isEqualTo(Long.toString(RUN_DATA.get(type).runId()));
    assertThat(event.sequence()).as("run events carry a per-run sequence").isPositive();
  }

  @ParameterizedTest
  @EnumSource(RunEventType.class)
  void runEventDecodesFromItsGoldenFile(RunEventType type) throws IOException {
    JsonNode golden = golden("run-" + type.name().toLowerCase(Locale.ROOT));

    CloudEvent decoded = EventCodec.decode(JSON.writeValueAsString(golden));

    assertThat(EventCodec.data(decoded, RunEventData.class)).isEqualTo(RUN_DATA.get(type));
    assertThat(decoded.specVersion()).isEqualTo("1.0");
    assertThat(decoded.dataContentType()).isEqualTo("application/json");
  }

  @ParameterizedTest
  @EnumSource(RunnerEventType.class)
  void runnerEventMatchesItsGoldenFileBothWays(RunnerEventType type) throws IOException {
    JsonNode golden = golden("runner-" + type.name().toLowerCase(Locale.ROOT));
    CloudEvent event = envelope(golden, RUNNER_DATA.get(type));

    assertThat(EventCodec.encode(event)).isEqualTo(JSON.writeValueAsString(golden));
    assertThat(direct(event, RUNNER_DATA.get(type))).isEqualTo(JSON.writeValueAsString(golden));
    assertThat(event.sequence()).as("runner events carry no sequence").isNull();
    assertThat(RunnerEventType.fromType(event.type())).isEqualTo(type);
    assertThat(EventCodec.data(EventCodec.decode(EventCodec.encode(event)), RunnerEventData.class))
        .isEqualTo(RUNNER_DATA.get(type));
  }

  @Test
  void envelopeFieldsComeInTheDocumentedOrder() throws IOException {
    JsonNode golden = golden("run-completed");
    CloudEvent event = envelope(golden, RUN_DATA.get(RunEventType.COMPLETED));

    assertThat(fieldNames(JSON.readTree(EventCodec.encode(event))))
        .containsExactly(
            "specversion",
            "id",
            "source",
            "type",
            "subject",
            "time",
            "datacontenttype",
            "sequence",
            "data");
    assertThat(fieldNames(JSON.readTree(EventCodec.encode(event)).get("data")))
        .containsExactly(
            "run_id",
            "run_no",
            "team_id",
            "team_slug",
            "app_id",
            "app_slug",
            "environment",
            "status",
            "previous_status",
            "retry_count",
            "attempt_no",
            "runner_id",
            "exit_code");
  }

  @Test
  void unknownFieldsFromANewerProducerAreIgnored() throws IOException {
    String json =
        JSON.writeValueAsString(golden("run-created"))
            .replace("\"sequence\":1,", "\"sequence\":1,\"traceparent\":\"00-abc\",");

    CloudEvent decoded = EventCodec.decode(json);

    assertThat(decoded.sequence()).isEqualTo(1L);
  }

  @Test
  void topicsAreOnePerAggregate() {
    assertThat(EventTopics.RUN_EVENTS).isEqualTo("minitower.run-events");
    assertThat(EventTopics.RUNNER_EVENTS).isEqualTo("minitower.runner-events");
  }

  /** The outbox's encoder: the same event written from its data object, without a tree. */
  private static String direct(CloudEvent event, Object data) {
    return EventCodec.encode(
        event.id(),
        event.source(),
        event.type(),
        event.subject(),
        event.time(),
        event.sequence(),
        data);
  }

  private static CloudEvent envelope(JsonNode golden, Object data) {
    return new CloudEvent(
        CloudEvent.SPEC_VERSION,
        golden.get("id").asText(),
        golden.get("source").asText(),
        golden.get("type").asText(),
        golden.get("subject").asText(),
        golden.get("time").asText(),
        CloudEvent.JSON,
        golden.has("sequence") ? golden.get("sequence").asLong() : null,
        EventCodec.toTree(data));
  }

  private static JsonNode golden(String name) throws IOException {
    try (InputStream in =
        EventGoldenTest.class.getResourceAsStream("/golden/events/" + name + ".json")) {
      assertThat(in).as("golden file %s.json", name).isNotNull();
      return JSON.readTree(in);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(out::add);
    return out;
  }
}
