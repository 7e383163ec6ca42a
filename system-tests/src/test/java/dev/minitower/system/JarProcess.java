package dev.minitower.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged runner agent and CLI, run as the user runs them: {@code java -jar}. */
final class JarProcess {
  private JarProcess() {}

  record Result(int exitCode, String out, String err) {}

  static Path agentJar() {
    return jar("runner-agent/target/minitower-runner.jar");
  }

  static Path cliJar() {
    return jar("cli/target/minitower-cli.jar");
  }

  private static Path jar(String relative) {
    Path p = TestStack.root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("not packaged: " + p);
    }
    return p;
  }

  /** Starts a long-lived process (the agent) with its output in {@code log}. */
  static Process start(Path jar, Map<String, String> env, Path log, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx192m", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs a command to completion (the CLI), with a time limit. */
  static Result run(Path jar, Map<String, String> env, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException("timed out: " + cmd + "\n" + Files.readString(err));
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
