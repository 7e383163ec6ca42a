package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.minitower.agent.fake.FakeRun;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Retries, idempotency, re-registration and concurrency of the runner protocol. */
class ProtocolResilienceTest extends AgentTestSupport {

  @Test
  void failedLogPostsAreResentWithTheSameSeqsSoNothingIsLostOrDuplicated() throws Exception {
    Path app =
        project("many", "run.sh", "i=1; while [ $i -le 250 ]; do echo line $i; i=$((i+1)); done\n");
    FakeRun run = server.enqueue(FakeRun.builder(pack(app), "run.sh"));
    run.failLogPosts.set(3);
    startAgent();

    assertThat(awaitResult(run).status()).isEqualTo("completed");

    assertThat(run.duplicateLogs.get()).isPositive();
    assertThat(run.logs.keySet()).isEqualTo(AgentExecutionTest.seqs(run.logs.size()));
    assertThat(run.lines("stdout"))
        .isEqualTo(
            IntStream.rangeClosed(1, 250).mapToObj(i -> "line " + i).collect(Collectors.toList()));
    assertThat(run.logs.values().stream().map(LogEntry::loggedAt)).allMatch(t -> t.endsWith("Z"));
  }

  @Test
  void resultIsRetriedUntilAcknowledgedAndTheRepeatIsIdempotent() throws Exception {
    FakeRun run =
        server.enqueue(FakeRun.builder(pack(project("ok", "run.sh", "exit 0\n")), "run.sh"));
    run.failResultPosts.set(1);
    startAgent();

    await().atMost(Duration.ofSeconds(20)).until(() -> agent.finishedRuns() == 1);

    assertThat(run.resultPosts)
        .hasSize(2)
        .allMatch(r -> r.equals(new ResultRequest("completed", 0, null)));
    assertThat(agentLog())
        .contains("result submit failed, retrying")
        .contains("\"msg\":\"run completed\"");
  }

  @Test
  void leaseAnswered401RegistersAgainAndTheTokenIsSavedPrivately() throws Exception {
    startAgent();
    Path tokenFile = tmp.resolve("data/runner_token");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.leasePolls.get() > 0);
    assertThat(server.registrations.get()).isEqualTo(1);
    assertThat(Files.readString(tokenFile).strip()).isEqualTo(server.runnerToken());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("data"))))
        .isEqualTo("rwx------");

    server.revokeRunnerToken();

    await().atMost(Duration.ofSeconds(10)).until(() -> server.registrations.get() == 2);
    await()
        .atMost(Duration.ofSeconds(10))
        // Between deleting the revoked token and saving the new one there is no file.
        .ignoreException(java.nio.file.NoSuchFileException.class)
        .until(() -> Files.readString(tokenFile).strip().equals(server.runnerToken()));
    FakeRun run =
        server.enqueue(FakeRun.builder(pack(project("after", "run.sh", "echo ok\n")), "run.sh"));
    assertThat(awaitResult(run).status()).isEqualTo("completed");
  }

  @Test
  void savedTokenIsReusedOnRestartWithoutRegistering() throws Exception {
    // No long-poll: a poll abandoned at shutdown must not swallow the run below.
    startAgent(c -> c.withLeaseWait(Duration.ZERO));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.leasePolls.get() > 0);
    agent.shutdown();

    startAgent(
        c ->
            new dev.minitower.agent.config.AgentConfig(
                c.serverUrl(),
                c.runnerName(),
                "",
                c.environment(),
                c.dataDir(),
                c.pythonBin(),
                c.pollInterval(),
                c.killGracePeriod(),
                c.concurrency(),
                c.leaseWait(),
                c.drainTimeout(),
                c.workloadPath(),
                c.passEnv(),
                c.heartbeatMinInterval(),
                c.sandbox()));
    FakeRun run =
        server.enqueue(FakeRun.builder(pack(project("again", "run.sh", "echo ok\n")), "run.sh"));

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(server.registrations.get()).isEqualTo(1);
    assertThat(agentLog()).contains("loaded saved token");
  }

  @Test
  void startWithoutSavedTokenOrRegistrationTokenFails() {
    assertThatThrownBy(
            () ->
                startAgent(
                    c ->
                        new dev.minitower.agent.config.AgentConfig(
                            c.serverUrl(),
                            c.runnerName(),
                            "",
                            c.environment(),
                            c.dataDir(),
                            c.pythonBin(),
                            c.pollInterval(),
                            c.killGracePeriod(),
                            c.concurrency(),
                            c.leaseWait(),
                            c.drainTimeout(),
                            c.workloadPath(),
                            c.passEnv(),
                            c.heartbeatMinInterval(),
                            c.sandbox())))
        .isInstanceOf(AgentException.class)
        .hasMessage("no saved token and MINITOWER_RUNNER_REGISTRATION_TOKEN not set");
    agent = null;
  }

  @Test
  void concurrentRunsExecuteTogetherAndShareBatchHeartbeats() throws Exception {
    String script = "touch started\nwhile [ ! -f release ]; do sleep 0.1; done\necho released\n";
    byte[] artifact = pack(project("wait", "run.sh", script));
    List<FakeRun> runs =
        List.of(
            server.enqueue(FakeRun.builder(artifact, "run.sh")),
            server.enqueue(FakeRun.builder(artifact, "run.sh")));
    startAgent(c -> c.withConcurrency(2));

    List<Path> started = new java.util.ArrayList<>();
    for (FakeRun run : runs) {
      started.add(awaitAppFile(run, "started"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.batchHeartbeats.get() > 0);
    assertThat(agent.activeRuns()).isEqualTo(2);
    assertThat(server.lastRegistration.maxConcurrent()).isEqualTo(2);
    for (Path file : started) {
      Files.writeString(file.resolveSibling("release"), "go");
    }

    for (FakeRun run : runs) {
      assertThat(awaitResult(run).status()).isEqualTo("completed");
      assertThat(run.lines("stdout")).containsExactly("released");
    }
  }

  @Test
  void serverWithoutBatchHeartbeatGetsPerRunHeartbeats() throws Exception {
    server.batchSupported(false);
    String script = "touch started\nwhile [ ! -f release ]; do sleep 0.1; done\n";
    byte[] artifact = pack(project("wait", "run.sh", script));
    FakeRun a = server.enqueue(FakeRun.builder(artifact, "run.sh"));
    FakeRun b = server.enqueue(FakeRun.builder(artifact, "run.sh"));
    startAgent(c -> c.withConcurrency(2));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.heartbeats.get() >= 2 && b.heartbeats.get() >= 2);
    Files.writeString(awaitAppFile(a, "started").resolveSibling("release"), "go");
    Files.writeString(awaitAppFile(b, "started").resolveSibling("release"), "go");

    assertThat(awaitResult(a).status()).isEqualTo("completed");
    assertThat(awaitResult(b).status()).isEqualTo("completed");
  }

  @Test
  void tokenRevokedMidRunIsReplacedByRegisteringAgainAndTheRunCompletes() throws Exception {
    String script = "touch up\nwhile [ ! -f release ]; do sleep 0.1; done\necho finished\n";
    FakeRun run =
        server.enqueue(FakeRun.builder(pack(project("revoked", "run.sh", script)), "run.sh"));
    startAgent();
    Path up = awaitAppFile(run, "up");

    server.revokeRunnerToken();

    await().atMost(Duration.ofSeconds(10)).until(() -> server.registrations.get() == 2);
    Files.writeString(up.resolveSibling("release"), "go");
    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(run.lines("stdout")).containsExactly("finished");
  }
}
