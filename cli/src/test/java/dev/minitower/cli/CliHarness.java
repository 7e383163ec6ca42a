package dev.minitower.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI in-process with captured streams, an isolated config file and a sleeper that does
 * not wait (it records the requested sleeps instead).
 */
final class CliHarness {
  final Map<String, String> env = new HashMap<>();
  final List<Duration> sleeps = new ArrayList<>();
  final Path configFile;
  String stdin = "";
  Runnable onSleep = () -> {};

  CliHarness(Path tempDir) {
    this.configFile = tempDir.resolve("cfg").resolve("minitower-cli").resolve("config.json");
    env.put("MINITOWER_CLI_CONFIG", configFile.toString());
    env.put("HOME", tempDir.resolve("home").toString());
  }

  record Result(int exit, String out, String err) {}

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    Terminal t =
        new Terminal(
            o,
            e,
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            null,
            d -> {
              sleeps.add(d);
              onSleep.run();
            },
            false);
    int code = Main.run(args, t);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
