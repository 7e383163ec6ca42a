package dev.minitower.agent;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.agent.config.AgentConfig;
import dev.minitower.agent.fake.FakeRun;
import dev.minitower.agent.fake.FakeRunnerService;
import dev.minitower.model.runner.ResultRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fake runner-service, an embedded agent and helpers to build artifacts and watch processes. */
abstract class AgentTestSupport {
  static final String REGISTRATION_TOKEN = "reg-secret-4f9c2b7e";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  FakeRunnerService server;
  Agent agent;
  final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeRunnerService(REGISTRATION_TOKEN);
  }

  @AfterEach
  void stopEverything() {
    if (agent != null) {
      agent.shutdown();
    }
    server.close();
  }

  AgentConfig config() {
    return AgentConfig.defaults(
            server.url(), "runner-" + System.nanoTime(), REGISTRATION_TOKEN, tmp.resolve("data"))
        .withHeartbeatMinInterval(Duration.ofMillis(300))
        .withKillGracePeriod(Duration.ofSeconds(2))
        .withPollInterval(Duration.ofMillis(200))
        .withLeaseWait(Duration.ofSeconds(1))
        .withDrainTimeout(Duration.ofSeconds(1));
  }

  Agent startAgent() throws AgentException {
    return startAgent(UnaryOperator.identity());
  }

  Agent startAgent(UnaryOperator<AgentConfig> customize) throws AgentException {
    PrintStream out = new PrintStream(agentLog, true, StandardCharsets.UTF_8);
    agent = new Agent(customize.apply(config()), out);
    agent.start();
    return agent;
  }

  String agentLog() {
    return agentLog.toString(StandardCharsets.UTF_8);
  }

  /** Writes a project: pairs of relative path and content. */
  Path project(String name, String... pathsAndContents) throws IOException {
    Path dir = tmp.resolve("projects").resolve(name);
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Path file = dir.resolve(pathsAndContents[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, pathsAndContents[i + 1], StandardCharsets.UTF_8);
    }
    return dir;
  }

  /** {@code tar -czf - <files>} in {@code dir}, entries without {@code ./}, as the CLI packages. */
  static byte[] pack(Path dir) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tar", "-czf", "-", "-C", dir.toString()));
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .forEach(cmd::add);
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException("tar failed");
    }
    return bytes;
  }

  static ObjectNode input() {
    return JSON.createObjectNode();
  }

  ResultRequest awaitResult(FakeRun run) {
    return awaitResult(run, Duration.ofSeconds(60));
  }

  ResultRequest awaitResult(FakeRun run, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> run.result() != null);
    return run.result();
  }

  /** Reads a pid the workload wrote, once the file is complete. */
  static long awaitPid(Path file) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(file) && Files.readString(file).endsWith("\n"));
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Host pids whose command line (argv) satisfies {@code argv}. */
  static List<Long> hostPids(java.util.function.Predicate<List<String>> argv) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
          List<String> args = new ArrayList<>();
          for (String a : new String(raw, StandardCharsets.ISO_8859_1).split("\0")) {
            args.add(a);
          }
          if (argv.test(args)) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  /**
   * The host pids of a sandboxed {@code /bin/sh <workspace>/app/<script>} of this test's agent and
   * of its {@code sleep} child, once the child exists. (Pids a workload prints are those of its own
   * PID namespace, so the test finds the processes from outside.)
   */
  long[] awaitScriptTree(String script) {
    return awaitScriptTree(tmp.resolve("data/runs"), script);
  }

  /**
   * As {@link #awaitScriptTree(String)}, for an agent whose workspaces are under {@code runsDir}.
   */
  static long[] awaitScriptTree(Path runsDir, String script) {
    String runs = runsDir.toString();
    long[] found = new long[2];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              for (long pid :
                  hostPids(
                      a ->
                          a.size() >= 2
                              && a.get(0).equals("/bin/sh")
                              && a.get(1).startsWith(runs)
                              && a.get(1).endsWith("/app/" + script))) {
                // The script's long-lived child: a script may run short commands first (env),
                // and a tree taken then would name a child that is about to exit by itself.
                var child =
                    ProcessHandle.of(pid)
                        .flatMap(h -> h.children().filter(AgentTestSupport::isSleep).findFirst());
                if (child.isPresent()) {
                  found[0] = pid;
                  found[1] = child.get().pid();
                  return true;
                }
              }
              return false;
            });
    return found;
  }

  /** Whether {@code process} runs {@code sleep} (the child every tree script leaves running). */
  private static boolean isSleep(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      String argv0 = new String(raw, StandardCharsets.ISO_8859_1).split("\0", 2)[0];
      return argv0.equals("sleep") || argv0.endsWith("/sleep");
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  /** The workspace of the run's first attempt, once it exists. */
  Path awaitWorkspace(FakeRun run) {
    Path runs = tmp.resolve("data/runs");
    Path[] ws = new Path[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!Files.isDirectory(runs)) {
                return false;
              }
              try (Stream<Path> dirs = Files.list(runs)) {
                ws[0] =
                    dirs.filter(
                            d -> d.getFileName().toString().startsWith("run-" + run.runId + "-a1-"))
                        .findFirst()
                        .orElse(null);
              }
              return ws[0] != null;
            });
    return ws[0];
  }

  /** Waits for a file the workload creates in its app directory. */
  Path awaitAppFile(FakeRun run, String name) {
    Path file = awaitWorkspace(run).resolve("app").resolve(name);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(file));
    return file;
  }

  /** A process that is gone (zombies count as gone: ProcessHandle.of ignores them). */
  static boolean gone(long pid) {
    return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
  }
}
