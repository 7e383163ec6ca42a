package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.agent.fake.FakeRun;
import dev.minitower.model.runner.ResultRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timeout, cancel, lost lease and shutdown all end the workload's whole process tree. */
class ProcessTerminationTest extends AgentTestSupport {
  Path out;

  @BeforeEach
  void outDir() throws Exception {
    out = Files.createDirectories(tmp.resolve("out"));
  }

  /** A leader and a background child; optionally deaf to SIGTERM. */
  FakeRun enqueueTree(boolean ignoreTerm, Integer timeoutSeconds) throws Exception {
    String script =
        (ignoreTerm ? "trap '' TERM\n" : "") + "sleep 1000 &\n" + "echo started\n" + "wait\n";
    FakeRun.Builder b = FakeRun.builder(pack(project("tree", "run.sh", script)), "run.sh");
    if (timeoutSeconds != null) {
      b.timeoutSeconds(timeoutSeconds);
    }
    return server.enqueue(b);
  }

  long[] awaitTree() {
    return awaitScriptTree("run.sh");
  }

  static void awaitGone(long[] pids, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> gone(pids[0]) && gone(pids[1]));
  }

  @Test
  void timeoutKillsTheWholeGroupEvenWhenItIgnoresSigterm() throws Exception {
    FakeRun run = enqueueTree(true, 1);
    startAgent();
    long[] pids = awaitTree();
    assertThat(gone(pids[0]) || gone(pids[1])).isFalse();

    ResultRequest result = awaitResult(run, Duration.ofSeconds(20));

    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage()).isEqualTo("timeout: exceeded 1s");
    assertThat(run.lines("stderr")).contains("run failed: timeout exceeded");
    assertThat(gone(pids[0])).isTrue();
    awaitGone(pids, Duration.ofSeconds(2));
  }

  @Test
  void cancelMidRunKillsTheTreeWithinTheGracePeriodAndReportsCancelled() throws Exception {
    FakeRun run = enqueueTree(false, null);
    startAgent();
    long[] pids = awaitTree();

    run.cancelRequested = true;
    long asked = System.nanoTime();
    ResultRequest result = awaitResult(run, Duration.ofSeconds(20));
    Duration took = Duration.ofNanos(System.nanoTime() - asked);

    assertThat(result.status()).isEqualTo("cancelled");
    assertThat(result.exitCode()).isNull();
    awaitGone(pids, Duration.ofSeconds(2));
    // One heartbeat interval (≤ 1.4 s at this TTL) to learn it, then SIGTERM is obeyed at once.
    assertThat(took).isLessThan(Duration.ofSeconds(2).plus(Duration.ofMillis(1500)));
  }

  @Test
  void heartbeatAnswered410KillsTheWorkloadAndPostsNoResult() throws Exception {
    FakeRun run = enqueueTree(false, null);
    startAgent();
    long[] pids = awaitTree();

    run.heartbeatStatus = 410;

    awaitGone(pids, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.finishedRuns() == 1);
    assertThat(run.resultPosts).isEmpty();
    assertThat(agentLog())
        .contains("stale lease on heartbeat")
        .contains("run abandoned: lease lost");
  }

  @Test
  void noSuccessfulHeartbeatWithinTheTtlSelfFencesTheWorkload() throws Exception {
    FakeRun run = enqueueTree(false, null);
    startAgent();
    long[] pids = awaitTree();

    run.heartbeatStatus = 503;

    // TTL 6 s: the agent gives up 4 s after its last successful heartbeat.
    awaitGone(pids, Duration.ofSeconds(12));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.finishedRuns() == 1);
    assertThat(run.resultPosts).isEmpty();
    assertThat(agentLog()).contains("lease expired, self-fencing");
  }

  @Test
  void shutdownLetsShortWorkFinishWithinTheDrainTimeout() throws Exception {
    FakeRun run =
        server.enqueue(
            FakeRun.builder(pack(project("short", "run.sh", "sleep 1\necho done\n")), "run.sh"));
    startAgent(c -> c.withDrainTimeout(Duration.ofSeconds(20)));
    run.started.await();

    agent.shutdown();

    assertThat(run.result()).isNotNull();
    assertThat(run.result().status()).isEqualTo("completed");
    assertThat(run.lines("stdout")).containsExactly("done");
  }

  @Test
  void shutdownCancelsWorkStillRunningAfterTheDrainTimeout() throws Exception {
    FakeRun run = enqueueTree(false, null);
    startAgent();
    long[] pids = awaitTree();

    agent.shutdown();

    assertThat(run.result()).isNotNull();
    assertThat(run.result().status()).isEqualTo("cancelled");
    assertThat(run.result().errorMessage()).isEqualTo("runner shutting down");
    awaitGone(pids, Duration.ofSeconds(2));
  }

  @Test
  void cancelDuringVenvCreationKillsTheSetupCommandAndReportsCancelled() throws Exception {
    // A stand-in interpreter that answers the version probe but hangs creating the venv.
    Path prefix = Files.createDirectories(tmp.resolve("slow/bin")).getParent();
    Path python = prefix.resolve("bin/python");
    Files.writeString(
        python,
        "#!/bin/sh\n"
            + "if [ \"$2\" = -c ]; then echo 3.11.0-slow; echo "
            + python
            + "; echo "
            + prefix
            + "; exit 0; fi\n"
            + "sleep 1000 &\n"
            + "wait\n");
    python.toFile().setExecutable(true, false);
    FakeRun run =
        server.enqueue(
            FakeRun.builder(pack(project("py", "main.py", "print('never')\n")), "main.py"));
    startAgent(c -> c.withPythonBin(python.toString()));
    long[] pids = new long[2];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (long pid :
                  hostPids(
                      a ->
                          a.size() >= 4
                              && a.get(1).equals(python.toString())
                              && a.contains("venv"))) {
                var child = ProcessHandle.of(pid).flatMap(h -> h.children().findFirst());
                if (child.isPresent()) {
                  pids[0] = pid;
                  pids[1] = child.get().pid();
                  return true;
                }
              }
              return false;
            });

    run.cancelRequested = true;

    assertThat(awaitResult(run, Duration.ofSeconds(20)).status()).isEqualTo("cancelled");
    awaitGone(pids, Duration.ofSeconds(2));
    assertThat(run.lines("stdout")).isEmpty();
    try (var builds = Files.list(tmp.resolve("data/venvs/builds"))) {
      assertThat(builds).isEmpty();
    }
  }
}
