package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.agent.fake.FakeRun;
import dev.minitower.agent.fake.FakeRunnerService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent ({@code bin/minitower-runner} → {@code target/minitower-runner.jar}) as a
 * separate process: signals, exit codes and what survives it.
 */
class AgentProcessIT {
  static final String REGISTRATION_TOKEN = "reg-secret-for-the-process-test";

  @TempDir Path tmp;
  FakeRunnerService server;
  final List<Process> agents = new ArrayList<>();
  Path out;

  @BeforeEach
  void setUp() throws IOException {
    server = new FakeRunnerService(REGISTRATION_TOKEN);
    out = Files.createDirectories(tmp.resolve("out"));
  }

  @AfterEach
  void tearDown() {
    agents.forEach(Process::destroyForcibly);
    server.close();
  }

  static String launcher() {
    return System.getProperty("minitower.runner.launcher", "bin/minitower-runner");
  }

  Process launch(Map<String, String> extraEnv, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(launcher()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(tmp.resolve("agent-" + agents.size() + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("MINITOWER_"));
    env.put(
        "MINITOWER_RUNNER_JAR",
        System.getProperty("minitower.runner.jar", "target/minitower-runner.jar"));
    env.putAll(extraEnv);
    Process p = pb.start();
    agents.add(p);
    return p;
  }

  Map<String, String> agentEnv() {
    return Map.of(
        "MINITOWER_SERVER_URL", server.url(),
        "MINITOWER_RUNNER_NAME", "process-it",
        "MINITOWER_RUNNER_REGISTRATION_TOKEN", REGISTRATION_TOKEN,
        "MINITOWER_DATA_DIR", tmp.resolve("data").toString(),
        "MINITOWER_POLL_INTERVAL", "200ms",
        "MINITOWER_LEASE_WAIT", "1s",
        "MINITOWER_KILL_GRACE_PERIOD", "1s",
        "MINITOWER_DRAIN_TIMEOUT", "1s");
  }

  String log(int i) throws IOException {
    return Files.readString(tmp.resolve("agent-" + i + ".log"), StandardCharsets.UTF_8);
  }

  FakeRun enqueueTree() throws Exception {
    Path app = tmp.resolve("app");
    Files.createDirectories(app);
    Files.writeString(app.resolve("run.sh"), "env\n" + "sleep 1000 &\n" + "wait\n");
    return server.enqueue(FakeRun.builder(AgentTestSupport.pack(app), "run.sh"));
  }

  long[] awaitTree() {
    return AgentTestSupport.awaitScriptTree(tmp.resolve("data/runs"), "run.sh");
  }

  @Test
  void sigkilledAgentTakesItsWholeWorkloadTreeWithIt() throws Exception {
    FakeRun run = enqueueTree();
    Process agent = launch(agentEnv());
    long[] pids = awaitTree();
    assertThat(AgentTestSupport.gone(pids[0]) || AgentTestSupport.gone(pids[1])).isFalse();

    agent.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> AgentTestSupport.gone(pids[0]) && AgentTestSupport.gone(pids[1]));
    assertThat(run.resultPosts).isEmpty();
  }

  @Test
  void sigkilledAgentTakesProcessesThatLeftTheirSessionWithIt() throws Exception {
    String marker = "hostile-" + java.util.UUID.randomUUID();
    Path app = Files.createDirectories(tmp.resolve("escape"));
    Files.writeString(app.resolve("main.py"), SandboxTest.escapeScript(marker, false));
    FakeRun run = server.enqueue(FakeRun.builder(AgentTestSupport.pack(app), "main.py"));
    Process agent = launch(agentEnv());
    java.util.function.Supplier<List<Long>> marked =
        () -> AgentTestSupport.hostPids(a -> !a.isEmpty() && a.get(0).equals(marker));
    await().atMost(Duration.ofSeconds(60)).until(() -> !marked.get().isEmpty());

    agent.destroyForcibly(); // SIGKILL: no shutdown hook, no terminate, only the kernel's rules
    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> marked.get().isEmpty());
    assertThat(run.resultPosts).isEmpty();
  }

  @Test
  void sigtermDrainsThenCancelsTheRunAndTheWorkloadNeverSawAToken() throws Exception {
    FakeRun run = enqueueTree();
    Process agent = launch(agentEnv());
    long[] pids = awaitTree();

    agent.destroy(); // SIGTERM: drain 1 s, then SIGTERM/SIGKILL to the group, result cancelled

    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isZero();
    assertThat(run.result()).isNotNull();
    assertThat(run.result().status()).isEqualTo("cancelled");
    assertThat(run.result().errorMessage()).isEqualTo("runner shutting down");
    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> AgentTestSupport.gone(pids[0]) && AgentTestSupport.gone(pids[1]));
    String env = String.join("\n", run.lines("stdout"));
    assertThat(env)
        .doesNotContain(REGISTRATION_TOKEN)
        .doesNotContain(server.runnerToken())
        .doesNotContain(run.leaseToken())
        .doesNotContain("MINITOWER_SERVER_URL")
        .doesNotContain("MINITOWER_DATA_DIR=");
    assertThat(log(0))
        .contains("\"msg\":\"runner started\"")
        .contains("\"msg\":\"shutting down\"")
        .contains("\"msg\":\"run cancelled\"");
  }

  @Test
  void agentFrozenLongerThanTheTtlKillsItsWorkloadOnResumeAndReportsNothing() throws Exception {
    // A TTL long enough that a slow heartbeat on a loaded machine (the agent self-fences a third
    // of the TTL before expiry) cannot end the run before the freeze this test is about.
    server.ttl(Duration.ofSeconds(12));
    FakeRun run = enqueueTree();
    Process agent = launch(agentEnv());
    long[] pids = awaitTree();

    signal("STOP", agent.pid());
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Instant.now().isAfter(run.expiresAt().plusSeconds(1)));
      // Failed once in a full suite (a workload process gone while the agent was stopped): say
      // which one and what the agent had logged, should it happen again.
      boolean shellGone = AgentTestSupport.gone(pids[0]);
      boolean sleepGone = AgentTestSupport.gone(pids[1]);
      String agentLog = log(0);
      assertThat(shellGone || sleepGone)
          .as(
              () ->
                  "workload gone while the agent was stopped: run.sh "
                      + pids[0]
                      + (shellGone ? " gone" : " alive")
                      + ", sleep "
                      + pids[1]
                      + (sleepGone ? " gone" : " alive")
                      + "; agent log:\n"
                      + agentLog)
          .isFalse();
    } finally {
      signal("CONT", agent.pid());
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> AgentTestSupport.gone(pids[0]) && AgentTestSupport.gone(pids[1]));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> log(0).contains("run abandoned: lease lost"));
    assertThat(run.resultPosts).isEmpty();
    assertThat(agent.isAlive()).isTrue();
  }

  static void signal(String signal, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor())
        .isZero();
  }

  /**
   * An unprivileged agent (as in a container or a pod) builds its sandboxes with an unprivileged
   * user namespace: the workload is uid 1000 inside, sees only its own processes, and a fork bomb
   * fails only its own run.
   */
  @Test
  void unprivilegedAgentSandboxesEachRunInAUserNamespaceOfItsOwn() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
        "needs root to start the agent as another user");
    Path home = Files.createTempDirectory(Path.of("/tmp"), "unprivileged-agent");
    Path jar = home.resolve("minitower-runner.jar");
    Files.copy(Path.of("target/minitower-runner.jar"), jar);
    new ProcessBuilder("chown", "-R", "nobody:nogroup", home.toString()).start().waitFor();
    Path app = Files.createDirectories(tmp.resolve("unpriv"));
    Files.writeString(
        app.resolve("run.sh"), "echo uid=$(id -u) pids=$(ls /proc | grep -c '^[0-9]')\n");
    FakeRun run = server.enqueue(FakeRun.builder(AgentTestSupport.pack(app), "run.sh"));
    Path bombApp = Files.createDirectories(tmp.resolve("bomb"));
    Files.writeString(bombApp.resolve("run.sh"), "b() { b & b & wait; }\nb\n");
    FakeRun bomb = server.enqueue(FakeRun.builder(AgentTestSupport.pack(bombApp), "run.sh"));
    ProcessBuilder pb =
        new ProcessBuilder(
                "runuser",
                "-u",
                "nobody",
                "--",
                System.getProperty("java.home") + "/bin/java",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("agent-0.log").toFile())
            .directory(home.toFile());
    pb.environment().clear();
    pb.environment().putAll(agentEnv());
    pb.environment().put("MINITOWER_DATA_DIR", home.resolve("data").toString());
    pb.environment().put("MINITOWER_LIMIT_PROCESSES", "32");
    pb.environment().put("MINITOWER_RUNNER_CONCURRENCY", "2");
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("HOME", home.toString());
    try {
      agents.add(pb.start());

      await().atMost(Duration.ofSeconds(60)).until(() -> run.result() != null);
      assertThat(run.result().status()).isEqualTo("completed");
      String line = run.lines("stdout").get(0);
      assertThat(line).startsWith("uid=1000 pids=");
      assertThat(Integer.parseInt(line.substring(line.indexOf("pids=") + 5)))
          .isLessThanOrEqualTo(6);
      await().atMost(Duration.ofSeconds(60)).until(() -> bomb.result() != null);
      assertThat(bomb.result().status()).isEqualTo("failed");
      assertThat(bomb.result().errorMessage()).startsWith("process limit exceeded (32");
      assertThat(log(0)).contains("bwrap, unprivileged user namespace");
    } finally {
      // runuser forks the agent: end the agent itself, not only runuser.
      for (Process p : agents) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor();
    }
  }

  @Test
  void helpDescribesTheEnvironmentAndExitsZero() throws Exception {
    Process p = launch(Map.of(), "--help");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(log(0)).contains("Usage: minitower-runner").contains("MINITOWER_RUNNER_CONCURRENCY");
  }

  @Test
  void missingServerUrlIsAConfigErrorWithExitCode1() throws Exception {
    Process p = launch(Map.of("MINITOWER_RUNNER_NAME", "x"));
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(log(0))
        .contains("\"msg\":\"config error\"")
        .contains("MINITOWER_SERVER_URL is required");
  }
}
