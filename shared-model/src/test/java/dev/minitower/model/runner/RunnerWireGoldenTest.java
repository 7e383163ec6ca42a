package dev.minitower.model.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.model.wire.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner protocol as the original runner agent reads and writes it, pinned by golden files
 * under {@code src/test/resources/golden/runner}: the server's records must encode to these bytes
 * (field names, order, omitted nulls) and decode from them. Additions are additive only: the
 * minimal lease answer (no addition set) is exactly the original's shape.
 */
class RunnerWireGoldenTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final ObjectMapper STRICT = StrictJson.newMapper();
  private static final String TOKEN = "Xq3v9kL0aZbYcW2dE4fG6hJ8iK1mN3oP5qR7sT9uV0w";
  private static final String EXPIRES = "2026-01-02T03:04:05Z";

  private static String golden(String name) throws IOException {
    try (InputStream in =
        RunnerWireGoldenTest.class.getResourceAsStream("/golden/runner/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  private static void pinned(Object record, String file) throws IOException {
    String expected = golden(file);
    assertThat(JSON.writeValueAsString(record)).isEqualTo(expected);
    assertThat(JSON.readValue(expected, record.getClass())).isEqualTo(record);
  }

  @Test
  void leaseResponseWithEveryField() throws IOException {
    ObjectNode input = JSON.createObjectNode().put("count", 2).put("name", "Ada");
    pinned(
        LeaseResponse.builder()
            .runId(42)
            .runNo(7)
            .appId(3)
            .appSlug("hello-python")
            .versionNo(2)
            .entrypoint("./main.py")
            .timeoutSeconds(60)
            .input(input)
            .attemptId(99)
            .attemptNo(1)
            .leaseToken(TOKEN)
            .leaseExpiresAt(EXPIRES)
            .teamSlug("acme")
            .artifactSha256("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
            .importPaths(List.of("./lib"))
            .build(),
        "lease-response.json");
  }

  @Test
  void leaseResponseWithoutOptionalFieldsIsTheOriginalsShape() throws IOException {
    pinned(
        LeaseResponse.builder()
            .runId(42)
            .runNo(7)
            .appId(3)
            .appSlug("hello-shell")
            .versionNo(1)
            .entrypoint("run.sh")
            .attemptId(99)
            .attemptNo(2)
            .leaseToken(TOKEN)
            .leaseExpiresAt(EXPIRES)
            .build(),
        "lease-response-minimal.json");
  }

  @Test
  void leaseResponseWithSecretsAddsOneObjectAtTheEnd() throws IOException {
    java.util.Map<String, String> secrets = new java.util.LinkedHashMap<>();
    secrets.put("DB_URL", "postgres://u:p@db/x");
    secrets.put("API_KEY", "k-123");
    pinned(
        new LeaseResponse(
            42,
            7,
            3,
            "hello-shell",
            1,
            "run.sh",
            null,
            null,
            99,
            2,
            TOKEN,
            EXPIRES,
            null,
            null,
            null,
            null,
            secrets),
        "lease-response-secrets.json");
  }

  @Test
  void leaseResponseToStringNamesSecretsButNeverTheirValues() {
    LeaseResponse lease =
        new LeaseResponse(
            1,
            1,
            1,
            "a",
            1,
            "run.sh",
            null,
            null,
            1,
            1,
            TOKEN,
            EXPIRES,
            null,
            null,
            null,
            null,
            java.util.Map.of("API_KEY", "value-that-must-not-print"));
    assertThat(lease.toString())
        .contains("API_KEY")
        .doesNotContain("value-that-must-not-print")
        .doesNotContain(TOKEN);
  }

  @Test
  void attemptViewOfStartAndHeartbeat() throws IOException {
    pinned(
        new AttemptView(99, 1, "cancelling", EXPIRES, true, "cancelling", null),
        "attempt-view.json");
  }

  @Test
  void registrationAnswer() throws IOException {
    pinned(
        new RegisterResponse(5, "runner-1", "mtr_" + TOKEN, "default", 1, null),
        "register-response.json");
  }

  @Test
  void logBatchTheAgentSends() throws IOException {
    pinned(
        new LogBatch(
            List.of(
                new LogEntry(1, "stderr", "downloading run artifact", EXPIRES),
                new LogEntry(2, "stdout", "Hello, Ada!", "2026-01-02T03:04:06Z"))),
        "log-batch.json");
  }

  @Test
  void resultTheAgentSends() throws IOException {
    pinned(new ResultRequest("failed", 3, "exit status 3"), "result-request.json");
  }

  @Test
  void aResultThatAsksForItsNextLease() throws IOException {
    pinned(
        new ResultRequest(
            "completed",
            0,
            null,
            List.of(new LogEntry(3, "stdout", "done", "2026-01-02T03:04:06Z")),
            new BatchLeaseRequest(1, true)),
        "result-request-next.json");
  }

  @Test
  void theResultAnswerIsTheOriginalsUnlessANextLeaseWasAsked() throws IOException {
    pinned(ResultResponse.OK, "result-response.json");
    pinned(ResultResponse.withLeases(List.of()), "result-response-no-lease.json");
  }

  @Test
  void theOriginalAgentsRegisterRequestDecodes() throws IOException {
    pinned(new RegisterRequest("runner-1", "default", null, null), "register-request.json");
  }

  @Test
  void aCancelledResultCarriesOnlyItsStatus() throws IOException {
    pinned(new ResultRequest("cancelled", null, null), "result-request-cancelled.json");
  }

  /**
   * runner-service reads request bodies with the client API's strict rules (shared-model {@link
   * StrictJson}): every body the original agent sends must still decode under them. It sends no
   * body at all on lease, start and heartbeat (nothing to decode there).
   */
  @Test
  void theOriginalAgentsRequestBodiesPassTheServersStrictRules() throws IOException {
    assertThat(strict("register-request.json", RegisterRequest.class))
        .isEqualTo(new RegisterRequest("runner-1", "default", null, null));
    assertThat(strict("log-batch.json", LogBatch.class).logs()).hasSize(2);
    assertThat(strict("result-request.json", ResultRequest.class))
        .isEqualTo(new ResultRequest("failed", 3, "exit status 3"));
    assertThat(strict("result-request-cancelled.json", ResultRequest.class))
        .isEqualTo(new ResultRequest("cancelled", null, null));
    // Go's encoder writes a nil pointer as null when a field has no omitempty: still fine.
    assertThat(
            StrictJson.read(
                STRICT,
                "{\"status\":\"cancelled\",\"exit_code\":null,\"error_message\":null}"
                    .getBytes(StandardCharsets.UTF_8),
                ResultRequest.class,
                StrictJson.Text.CHECKED))
        .isEqualTo(new ResultRequest("cancelled", null, null));
  }

  private static <T> T strict(String file, Class<T> type) throws IOException {
    return StrictJson.read(
        STRICT, golden(file).getBytes(StandardCharsets.UTF_8), type, StrictJson.Text.CHECKED);
  }
}
