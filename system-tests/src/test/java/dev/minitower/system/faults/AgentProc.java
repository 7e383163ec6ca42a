package dev.minitower.system.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The packaged runner agent as a process that can be SIGKILLed, frozen and resumed. */
public final class AgentProc implements AutoCloseable {
  public final String name;
  public final Path dataDir;
  public final Path log;
  private final Map<String, String> env;
  private Process process;

  public AgentProc(String serverUrl, String name, Path dataDir, Map<String, String> extra)
      throws IOException {
    this.name = name;
    this.dataDir = dataDir;
    this.log = Files.createTempFile("mt-agent-" + name + "-", ".log");
    env = new HashMap<>();
    env.put("MINITOWER_SERVER_URL", serverUrl);
    env.put("MINITOWER_RUNNER_NAME", name);
    env.put("MINITOWER_RUNNER_REGISTRATION_TOKEN", "runner-secret");
    env.put("MINITOWER_DATA_DIR", dataDir.toString());
    env.put("MINITOWER_POLL_INTERVAL", "500ms");
    env.put("MINITOWER_KILL_GRACE_PERIOD", "1s");
    env.put("MINITOWER_RUNNER_CONCURRENCY", "2");
    env.put("MINITOWER_LEASE_WAIT", "5s");
    env.putAll(extra);
  }

  public AgentProc start() throws IOException {
    Path jar = Sys.root().resolve("runner-agent/target/minitower-runner.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("not packaged: " + jar);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of("java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
    return this;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public void stop() {
    Sys.signal(pid(), "STOP");
  }

  public void cont() {
    Sys.signal(pid(), "CONT");
  }

  public String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  public String logTail() {
    String s = logText();
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      Sys.signal(pid(), "CONT");
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Live processes whose environment holds {@code FAULT_MARKER=marker}: workloads get their run's
   * input keys as environment variables, and their children inherit them, so this finds a
   * workload's whole tree (read from /proc; the tests run as the same user as the agent).
   */
  public static List<Long> workloads(String marker) {
    byte[] needle = ("FAULT_MARKER=" + marker + "\0").getBytes(StandardCharsets.UTF_8);
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                try {
                  byte[] environ = Files.readAllBytes(p.resolve("environ"));
                  if (indexOf(environ, needle) >= 0 && !isZombie(p)) {
                    pids.add(Long.parseLong(p.getFileName().toString()));
                  }
                } catch (IOException | RuntimeException e) {
                  // gone or not readable
                }
              });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  /** SIGKILLs whatever {@link #workloads} finds (cleanup after a failed check). */
  public static void killWorkloads(String marker) {
    for (long pid : workloads(marker)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean isZombie(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    int close = stat.lastIndexOf(')');
    return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
