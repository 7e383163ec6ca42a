package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Riding out a restarting api-service: safe requests are retried, run creation carries an
 * Idempotency-Key so a retry never creates a second run, unsafe requests are sent once.
 */
class RetryTest {
  @TempDir Path tmp;
  FakeApi api;
  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(tmp);
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "mtk_test");
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  static java.util.function.Function<FakeApi.Request, FakeApi.Response> failingTimes(
      int failures, String okBody) {
    AtomicInteger calls = new AtomicInteger();
    return r ->
        calls.incrementAndGet() <= failures
            ? FakeApi.Response.error(503, "internal", "db not ready")
            : FakeApi.Response.json(200, okBody);
  }

  @Test
  void getIsRetriedOnUnavailableWithBackoff() {
    api.on(
        "GET /api/v1/me",
        failingTimes(2, "{\"team_id\":1,\"team_slug\":\"a\",\"token_id\":2,\"role\":\"admin\"}"));

    CliHarness.Result r = cli.run("me");

    assertThat(r.exit()).isZero();
    assertThat(api.requests).hasSize(3);
    assertThat(cli.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofSeconds(1));
  }

  @Test
  void getGivesUpAfterThreeTries() {
    api.on("GET /api/v1/me", failingTimes(99, "{}"));

    CliHarness.Result r = cli.run("me");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: db not ready (internal)\n");
    assertThat(api.requests).hasSize(3);
  }

  @Test
  void clientErrorsAreNotRetried() {
    api.on("GET /api/v1/runs/1", r -> FakeApi.Response.error(404, "not_found", "run not found"));

    cli.run("runs", "get", "1");

    assertThat(api.requests).hasSize(1);
  }

  @Test
  void runCreationRetriesWithTheSameIdempotencyKey() {
    AtomicInteger calls = new AtomicInteger();
    api.on(
        "POST /api/v1/apps/hello/runs",
        r ->
            calls.incrementAndGet() == 1
                ? new FakeApi.Response(502, "bad gateway")
                : FakeApi.Response.json(201, "{\"run_id\":5,\"run_no\":1,\"status\":\"queued\"}"));

    CliHarness.Result r = cli.run("runs", "create", "--app", "hello");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.requests).hasSize(2);
    String key = api.requests.get(0).header("Idempotency-Key");
    assertThat(key).isNotBlank();
    assertThat(api.requests.get(1).header("Idempotency-Key")).isEqualTo(key);
  }

  @Test
  void explicitIdempotencyKeyIsSent() {
    api.on(
        "POST /api/v1/apps/hello/runs", 201, "{\"run_id\":5,\"run_no\":1,\"status\":\"queued\"}");

    cli.run("runs", "create", "--app", "hello", "--idempotency-key", "nightly-2025-01-04");

    assertThat(api.requests.get(0).header("Idempotency-Key")).isEqualTo("nightly-2025-01-04");
  }

  @Test
  void uploadsAndAppCreationAreSentOnce() {
    api.on("POST /api/v1/apps", r -> FakeApi.Response.error(503, "internal", "db not ready"));

    CliHarness.Result r = cli.run("apps", "create", "hello");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(api.requests).hasSize(1);
  }

  @Test
  void followRidesOutAServerRestart() {
    AtomicInteger calls = new AtomicInteger();
    api.on(
        "GET /api/v1/runs/42",
        r -> {
          int n = calls.incrementAndGet();
          if (n >= 2 && n <= 4) {
            return FakeApi.Response.error(503, "internal", "db not ready");
          }
          String status = n >= 5 ? "completed" : "running";
          return FakeApi.Response.json(
              200, "{\"run_id\":42,\"status\":\"" + status + "\",\"retry_count\":0}");
        });
    api.on(
        "GET /api/v1/runs/42/logs",
        200,
        "{\"logs\":[{\"attempt_no\":1,\"seq\":1,\"stream\":\"stdout\",\"line\":\"hi\"}],"
            + "\"next_after_attempt\":1,\"next_after_seq\":1,\"has_more\":false}");

    CliHarness.Result r = cli.run("runs", "logs", "42", "--follow", "--interval", "1s");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("[1] STDOUT hi\n");
    assertThat(r.err()).isEqualTo("warning: db not ready; retrying\n");
  }
}
