package dev.minitower.cli;

import static dev.minitower.cli.FakeRun.out;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code runs logs --follow} and {@code runs watch}: tailing until the end, across attempts. */
class RunsFollowTest {
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

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource({"completed, 0", "failed, 1", "dead, 1", "cancelled, 2"})
  void followExitsWithTheRunOutcome(String finalStatus, int exit) {
    new FakeRun(42)
        .phase("queued", 0)
        .phase("running", 0, out(1, 1, "hello"))
        .phase(finalStatus, 0, out(1, 2, "bye"))
        .install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "--follow", "--interval", "50ms");

    assertThat(r.exit()).isEqualTo(exit);
    assertThat(r.out()).isEqualTo("[1] STDOUT hello\n[2] STDOUT bye\n");
    assertThat(r.err()).isEmpty();
    assertThat(cli.sleeps).allMatch(d -> d.equals(Duration.ofMillis(50)));
  }

  @Test
  void followKeepsEveryLineOfARetryWhenSeqRestarts() {
    new FakeRun(42)
        .phase("running", 0, out(1, 1, "a1"), out(1, 2, "a2"), out(1, 3, "a3"))
        .phase("queued", 1)
        .phase("running", 1, out(2, 1, "b1"), out(2, 2, "b2"))
        .phase("running", 1, out(2, 3, "b3"), out(2, 4, "b4"))
        .phase("completed", 1)
        .install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "-f", "--interval", "1ms");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            [1] STDOUT a1
            [2] STDOUT a2
            [3] STDOUT a3
            --- attempt 2 ---
            [1] STDOUT b1
            [2] STDOUT b2
            [3] STDOUT b3
            [4] STDOUT b4
            """);
  }

  @Test
  void followAgainstAnOriginalServerResetsTheCursorOnRetry() {
    FakeRun run =
        new FakeRun(42)
            .phase("running", 0, out(1, 1, "a1"), out(1, 2, "a2"))
            .phase("running", 1, out(2, 1, "b1"))
            .phase("running", 1, out(2, 2, "b2"))
            .phase("failed", 1);
    run.mode = FakeRun.LogMode.LATEST_ATTEMPT_ONLY;
    run.install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "--follow", "--interval", "1ms");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "[1] STDOUT a1\n[2] STDOUT a2\n--- attempt 2 ---\n[1] STDOUT b1\n[2] STDOUT b2\n");
  }

  @Test
  void followUsesTheServerCursor() {
    FakeRun run =
        new FakeRun(42)
            .phase("running", 0, out(1, 1, "a1"))
            .phase("running", 1, out(2, 1, "b1"))
            .phase("completed", 1, out(2, 2, "b2"));
    run.mode = FakeRun.LogMode.SERVER_CURSOR;
    run.install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "--follow", "--interval", "1ms");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo("[1] STDOUT a1\n--- attempt 2 ---\n[1] STDOUT b1\n[2] STDOUT b2\n");
    assertThat(api.requests("GET /api/v1/runs/42/logs"))
        .extracting(FakeApi.Request::query)
        .containsExactly("after_seq=0", "after_seq=1", "after_seq=2");
  }

  @Test
  void followPagesThroughApiServiceCursorAcrossAttempts() {
    FakeRun run =
        new FakeRun(42)
            .phase("running", 0, out(1, 1, "a1"), out(1, 2, "a2"), out(1, 3, "a3"))
            .phase("running", 1, out(2, 1, "b1"))
            .phase("completed", 1, out(2, 2, "b2"), out(2, 3, "b3"));
    run.mode = FakeRun.LogMode.API_SERVICE;
    run.pageSize = 2;
    run.install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "--follow", "--interval", "1ms");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            [1] STDOUT a1
            [2] STDOUT a2
            [3] STDOUT a3
            --- attempt 2 ---
            [1] STDOUT b1
            [2] STDOUT b2
            [3] STDOUT b3
            """);
    assertThat(api.requests("GET /api/v1/runs/42/logs"))
        .extracting(FakeApi.Request::query)
        .containsExactly(
            "after_seq=0",
            "after_seq=2&after_attempt=1",
            "after_seq=3&after_attempt=1",
            "after_seq=1&after_attempt=2",
            "after_seq=3&after_attempt=2");
  }

  @Test
  void logsJsonMergesEveryPage() {
    FakeRun run =
        new FakeRun(42).phase("running", 0, out(1, 1, "a1"), out(1, 2, "a2"), out(1, 3, "a3"));
    run.mode = FakeRun.LogMode.API_SERVICE;
    run.pageSize = 2;
    run.install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "--json");

    assertThat(r.exit()).isZero();
    var json = dev.minitower.cli.output.JsonOutput.parse(r.out());
    assertThat(json.get("logs")).hasSize(3);
    assertThat(json.get("next_after_seq").asLong()).isEqualTo(3);
    assertThat(json.get("has_more").asBoolean()).isFalse();
  }

  @Test
  void controlCharactersInLogLinesAreEscapedUnlessRaw() {
    api.on(
        "GET /api/v1/runs/42/logs",
        200,
        "{\"logs\":[{\"seq\":1,\"stream\":\"stdout\",\"line\":\"\\u001b[2Jgotcha\\u0007\\tok\"}]}");

    CliHarness.Result escaped = cli.run("runs", "logs", "42");
    CliHarness.Result raw = cli.run("runs", "logs", "42", "--raw");

    assertThat(escaped.out()).isEqualTo("[1] STDOUT \\x1b[2Jgotcha\\x07\tok\n");
    assertThat(raw.out()).isEqualTo("[1] STDOUT \u001b[2Jgotcha\u0007\tok\n");
  }

  @Test
  void logsWithoutFollowFetchesOnceFromAfterSeq() {
    new FakeRun(42).phase("running", 0, out(1, 1, "x"), out(1, 2, "y")).install(api);

    CliHarness.Result r = cli.run("runs", "logs", "42", "--after-seq", "1");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("[2] STDOUT y\n");
    assertThat(api.requests).hasSize(1);
    assertThat(api.requests.get(0).query()).isEqualTo("after_seq=1");
  }

  @Test
  void watchPrintsStatusChangesAndLogsThenExitsWithOutcome() {
    new FakeRun(42)
        .phase("queued", 0)
        .phase("queued", 0)
        .phase("running", 0, out(1, 1, "working"))
        .phase("cancelled", 0)
        .install(api);

    CliHarness.Result r = cli.run("runs", "watch", "42", "--interval", "1ms");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out())
        .isEqualTo(
            """
            run 42 status: queued
            run 42 status: running
            [1] STDOUT working
            run 42 status: cancelled
            """);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void watchStatusOnlyJsonPrintsOnlyTheFinalRunOnStdout() {
    new FakeRun(42).phase("running", 0, out(1, 1, "x")).phase("completed", 0).install(api);

    CliHarness.Result r =
        cli.run("runs", "watch", "42", "--status-only", "--json", "--interval", "1ms");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("{\n  \"run_id\": 42,").contains("\"status\": \"completed\"");
    assertThat(r.err()).isEqualTo("run 42 status: running\nrun 42 status: completed\n");
    assertThat(api.requests("GET /api/v1/runs/42/logs")).isEmpty();
  }

  @Test
  void watchWithoutIdTakesTheAppsNewestRun() {
    api.on(
        "GET /api/v1/apps/hello/runs", 200, "{\"runs\":[{\"run_id\":42,\"status\":\"failed\"}]}");
    new FakeRun(42).phase("failed", 0).install(api);

    CliHarness.Result r = cli.run("runs", "watch", "--app", "hello", "--status-only");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("run 42 status: failed\n");
  }
}
