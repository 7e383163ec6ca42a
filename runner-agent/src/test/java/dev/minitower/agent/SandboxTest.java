package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.minitower.agent.config.SandboxConfig;
import dev.minitower.agent.fake.FakeRun;
import dev.minitower.model.runner.ResultRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a hostile workload can no longer do (issue 14), with the embedded agent running as root as
 * in the local stack: read secrets through {@code /proc}, outlive its run, see the agent's data or
 * other runs, write the shared venv, or starve other runs of processes, memory, disk or CPU.
 */
class SandboxTest extends AgentTestSupport {
  static final SandboxConfig.Limits SMALL =
      new SandboxConfig.Limits(64, 512L << 20, 10L << 20, Duration.ofSeconds(2), 256);

  Agent startSandboxed(UnaryOperator<SandboxConfig> sandbox) throws AgentException {
    return startAgent(
        c -> c.withConcurrency(2).withSandbox(sandbox.apply(c.sandbox().withLimits(SMALL))));
  }

  FakeRun shell(String name, String script) throws Exception {
    return server.enqueue(FakeRun.builder(pack(project(name, "run.sh", script)), "run.sh"));
  }

  FakeRun python(String name, String script) throws Exception {
    return server.enqueue(FakeRun.builder(pack(project(name, "main.py", script)), "main.py"));
  }

  static String stdout(FakeRun run) {
    return String.join("\n", run.lines("stdout"));
  }

  @Test
  void workloadSeesOnlyItsOwnProcessesAndNoSecretInAnyEnviron() throws Exception {
    FakeRun run =
        shell(
            "environ",
            "for p in /proc/[0-9]*; do\n"
                + "  echo \"pid ${p#/proc/}: $(tr '\\0' ' ' < $p/cmdline)\"\n"
                + "  tr '\\0' '\\n' < $p/environ 2>&1\n"
                + "done\n"
                + "echo ppid=$PPID uid=$(id -u)\n"
                + "cat /proc/1/environ /proc/$PPID/environ 2>&1 | tr '\\0' '\\n'\n");
    startSandboxed(UnaryOperator.identity());

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    String out = stdout(run);
    assertThat(out)
        .doesNotContain(REGISTRATION_TOKEN)
        .doesNotContain(server.runnerToken())
        .doesNotContain(run.leaseToken())
        .doesNotContain("java")
        .doesNotContain("MINITOWER_SERVER_URL")
        .contains("uid=1000");
    assertThat(run.lines("stdout").stream().filter(l -> l.startsWith("pid ")).count())
        .isLessThanOrEqualTo(4);
  }

  @Test
  void workloadProcessesRunAsTheDedicatedUnprivilegedHostUid() throws Exception {
    FakeRun run = shell("uid", "sleep 1000 &\nwait\n");
    startSandboxed(UnaryOperator.identity());

    long[] tree = awaitScriptTree("run.sh");
    for (long pid : tree) {
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      assertThat(status).containsPattern("(?m)^Uid:\\s+61000\\s+61000\\s+61000\\s+61000$");
    }
    run.cancelRequested = true;
    assertThat(awaitResult(run).status()).isEqualTo("cancelled");
  }

  /** Python that double-forks out of its session; the grandchild's argv[0] is the marker. */
  static String escapeScript(String marker, boolean waitForRelease) {
    return String.join(
        "\n",
        "import os, time",
        "if os.fork() == 0:",
        "    os.setsid()",
        "    if os.fork() == 0:",
        "        os.execv('/bin/sleep', ['" + marker + "', '1000'])",
        "    os._exit(0)",
        "time.sleep(0.3)",
        "print('escaped', flush=True)",
        waitForRelease
            ? "while not os.path.exists('release'): time.sleep(0.05)"
            : "time.sleep(1000)",
        "");
  }

  List<Long> marked(String marker) {
    return hostPids(a -> !a.isEmpty() && a.get(0).equals(marker));
  }

  @Test
  void processThatLeftItsSessionDiesWhenTheRunCompletes() throws Exception {
    String marker = "hostile-" + UUID.randomUUID();
    FakeRun run = python("escape-complete", escapeScript(marker, true));
    startSandboxed(UnaryOperator.identity());

    await().atMost(Duration.ofSeconds(30)).until(() -> !marked(marker).isEmpty());
    assertThat(ProcessHandle.of(marked(marker).get(0)).flatMap(ProcessHandle::parent)).isPresent();
    Files.writeString(awaitWorkspace(run).resolve("app/release"), "go");

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(2)).until(() -> marked(marker).isEmpty());
  }

  @Test
  void processThatLeftItsSessionDiesWhenTheRunIsCancelled() throws Exception {
    String marker = "hostile-" + UUID.randomUUID();
    FakeRun run = python("escape-cancel", escapeScript(marker, false));
    startSandboxed(UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(30)).until(() -> !marked(marker).isEmpty());

    run.cancelRequested = true;

    assertThat(awaitResult(run).status()).isEqualTo("cancelled");
    await().atMost(Duration.ofSeconds(2)).until(() -> marked(marker).isEmpty());
  }

  @Test
  void agentDataTokenFileAndOtherRunsAreNotVisible() throws Exception {
    Path data = tmp.resolve("data");
    FakeRun victim =
        shell(
            "victim",
            "echo victim-secret-7d1 > secret.txt\nwhile [ ! -f release ]; do sleep 0.1; done\n");
    startSandboxed(UnaryOperator.identity());
    Path victimWs = awaitWorkspace(victim);
    FakeRun attacker =
        shell(
            "attacker",
            "ls -la "
                + data
                + " 2>&1\n"
                + "ls -la "
                + data.resolve("runs")
                + " 2>&1\n"
                + "cat "
                + data.resolve("runner_token")
                + " 2>&1\n"
                + "cat "
                + victimWs.resolve("app/secret.txt")
                + " 2>&1\n"
                + "grep -rs victim-secret / 2>/dev/null | head -3\n"
                + "echo done\n");

    assertThat(awaitResult(attacker).status()).isEqualTo("completed");
    Files.writeString(victimWs.resolve("app/release"), "go");
    assertThat(awaitResult(victim).status()).isEqualTo("completed");

    String out = stdout(attacker);
    assertThat(out)
        .doesNotContain("victim-secret-7d1")
        .doesNotContain(server.runnerToken())
        .doesNotContain("runner_token ")
        .doesNotContain("agent.lock")
        .contains("done");
    assertThat(data.resolve("runner_token")).exists();
  }

  @Test
  void dataDirRunsDirAndWorkspacesAreMode0700AndTheWorkspaceBelongsToTheRunUid() throws Exception {
    FakeRun run = shell("modes", "touch started\nwhile [ ! -f release ]; do sleep 0.1; done\n");
    startSandboxed(UnaryOperator.identity());
    Path ws = awaitAppFile(run, "started").getParent().getParent();

    for (Path dir : List.of(tmp.resolve("data"), tmp.resolve("data/runs"), ws)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .as(dir.toString())
          .isEqualTo("rwx------");
    }
    assertThat(Files.getAttribute(ws, "unix:uid")).isEqualTo(61000);
    Files.writeString(ws.resolve("app/release"), "go");
    assertThat(awaitResult(run).status()).isEqualTo("completed");
  }

  @Test
  void cachedVirtualenvIsReadOnlyToWorkloads() throws Exception {
    String script =
        String.join(
            "\n",
            "import os, sys, sysconfig",
            "venv = os.environ['VIRTUAL_ENV']",
            "print('venv-writable', os.access(venv, os.W_OK))",
            "print('cache-visible', os.path.exists(os.path.dirname(os.path.dirname(venv)) + '/x'))",
            "site = sysconfig.get_paths()['purelib']",
            "try:",
            "    open(os.path.join(site, 'planted.py'), 'w').write('x = 1')",
            "    print('planted')",
            "except OSError as e:",
            "    print('refused', e.errno)",
            "");
    FakeRun first = python("venv-a", script);
    startSandboxed(UnaryOperator.identity());

    assertThat(awaitResult(first).status()).isEqualTo("completed");
    assertThat(first.lines("stdout"))
        .contains("venv-writable False", "cache-visible False")
        .anyMatch(l -> l.startsWith("refused"))
        .doesNotContain("planted");
    try (var found = Files.walk(tmp.resolve("data/venvs"))) {
      assertThat(found.filter(p -> p.endsWith("planted.py"))).isEmpty();
    }
  }

  @Test
  void appCannotShadowTheModulesThatBuildTheSharedVirtualenv() throws Exception {
    // Runs without requirements share one environment per interpreter: an app that ships its own
    // "venv" module must not run code while that environment is built.
    byte[] artifact =
        pack(
            project(
                "shadow",
                "main.py",
                "import sys\nprint('ran with', sys.prefix != sys.base_prefix)\n",
                "venv/__init__.py",
                "raise SystemExit('shadowed venv module ran')\n",
                "venv/__main__.py",
                "raise SystemExit('shadowed venv module ran')\n"));
    FakeRun run =
        server.enqueue(
            FakeRun.builder(artifact, "main.py")
                .input(input().put("PIP_INDEX_URL", "http://127.0.0.1:9/evil")));
    startSandboxed(UnaryOperator.identity());

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(run.lines("stdout")).containsExactly("ran with True");
    assertThat(String.join("\n", run.lines("stderr"))).doesNotContain("shadowed");
  }

  @Test
  void forkBombFailsItsOwnRunWhileAnotherRunCompletes() throws Exception {
    FakeRun bomb =
        python(
            "bomb",
            "import os, time\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)\n");
    FakeRun good =
        shell(
            "good",
            "i=0\nwhile [ $i -lt 10 ]; do /bin/true; sleep 0.2; i=$((i+1)); done\necho fine\n");
    startSandboxed(UnaryOperator.identity());

    ResultRequest result = awaitResult(bomb);
    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage()).startsWith("process limit exceeded (64");
    assertThat(bomb.lines("stderr")).anyMatch(l -> l.startsWith("run failed: process limit"));
    assertThat(awaitResult(good).status()).isEqualTo("completed");
    assertThat(good.lines("stdout")).containsExactly("fine");
  }

  @Test
  void memoryHogFailsWithTheMemoryLimitNamed() throws Exception {
    FakeRun hog = python("hog", "x = []\nwhile True:\n    x.append(bytearray(50 << 20))\n");
    startSandboxed(UnaryOperator.identity());

    ResultRequest result = awaitResult(hog);
    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage())
        .isEqualTo("memory limit exceeded (512 MiB address space per process)");
  }

  @Test
  void fileLargerThanTheLimitFailsTheRunEvenWhenTheScriptIgnoresTheError() throws Exception {
    FakeRun big = shell("big", "head -c 20000000 /dev/zero > big.bin\necho carried on\n");
    startSandboxed(UnaryOperator.identity());

    ResultRequest result = awaitResult(big);
    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage()).isEqualTo("file size limit exceeded (10 MiB per file)");
    assertThat(big.lines("stdout")).containsExactly("carried on");
  }

  @Test
  void fileOfExactlyTheLimitIsAllowed() throws Exception {
    FakeRun exact =
        python(
            "exact",
            "open('exact.bin', 'wb').write(b'0' * (10 << 20))\nprint('File too large: just a word')\n");
    startSandboxed(UnaryOperator.identity());

    assertThat(awaitResult(exact).status()).isEqualTo("completed");
  }

  @Test
  void runInputsNeverAppearInAnyHostCommandLine() throws Exception {
    String secret = "s3cr3t-" + UUID.randomUUID();
    FakeRun run =
        server.enqueue(
            FakeRun.builder(
                    pack(
                        project(
                            "input",
                            "run.sh",
                            "touch started\nwhile [ ! -f release ]; do sleep 0.1; done\n")),
                    "run.sh")
                .input(input().put("API_KEY", secret)));
    startSandboxed(UnaryOperator.identity());
    Path started = awaitAppFile(run, "started");

    assertThat(hostPids(a -> String.join(" ", a).contains(secret))).isEmpty();
    Files.writeString(started.resolveSibling("release"), "go");
    assertThat(awaitResult(run).status()).isEqualTo("completed");
  }

  @Test
  void cpuHogFailsWithTheCpuLimitNamed() throws Exception {
    FakeRun spin = shell("spin", "while :; do :; done\n");
    startSandboxed(UnaryOperator.identity());

    ResultRequest result = awaitResult(spin);
    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage()).isEqualTo("CPU time limit exceeded (2s per process)");
  }

  @Test
  void networkCanBeCutOffForEveryRun() throws Exception {
    URI url = URI.create(server.url());
    String script =
        String.join(
            "\n",
            "import socket",
            "try:",
            "    socket.create_connection(('"
                + url.getHost()
                + "', "
                + url.getPort()
                + "), 2).close()",
            "    print('connected')",
            "except OSError as e:",
            "    print('unreachable')",
            "");
    FakeRun run = python("offline", script);
    startSandboxed(s -> s.withNetwork(false));

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(run.lines("stdout")).containsExactly("unreachable");
  }

  @Test
  void networkIsAvailableByDefault() throws Exception {
    URI url = URI.create(server.url());
    FakeRun run =
        python(
            "online",
            "import socket\nsocket.create_connection(('"
                + url.getHost()
                + "', "
                + url.getPort()
                + "), 5).close()\nprint('connected')\n");
    startSandboxed(UnaryOperator.identity());

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(run.lines("stdout")).containsExactly("connected");
  }

  @Test
  void agentRefusesToStartWhenTheSandboxCannotBeBuilt() {
    assertThatThrownBy(
            () ->
                startAgent(
                    c ->
                        c.withSandbox(
                            new SandboxConfig(
                                SandboxConfig.Mode.BWRAP, 0, true, List.of(), SMALL))))
        .isInstanceOf(AgentException.class)
        .hasMessageStartingWith(
            "cannot build the workload sandbox: MINITOWER_SANDBOX_UID must not be 0")
        .hasMessageContaining("MINITOWER_SANDBOX=none");
    assertThat(server.registrations.get()).isZero();
    agent = null;
  }

  @Test
  void sandboxNoneIsForDevelopmentAndWarnsAtStartAndOnEveryRun() throws Exception {
    FakeRun run = shell("plain", "echo hi\n");
    startSandboxed(s -> s.withMode(SandboxConfig.Mode.NONE));

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(agentLog()).contains("workload sandbox disabled");
    assertThat(run.lines("stderr")).anyMatch(l -> l.startsWith("sandbox disabled"));
  }
}
