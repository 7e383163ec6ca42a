package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.agent.fake.FakeRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** requirements.txt is installed once per (requirements, interpreter) and reused. */
class PythonEnvironmentCacheTest extends AgentTestSupport {

  @Test
  void secondRunOfTheSameAppReusesTheCachedEnvironmentWithoutInstalling() throws Exception {
    Path wheel = buildWheel(tmp.resolve("wheels"));
    // The sandboxed build sees the app only: a local requirement ships inside it.
    Path app =
        project(
            "withreqs",
            "requirements.txt",
            "--no-index\n./" + wheel.getFileName() + "\n",
            "main.py",
            "import sys, greetlib\nprint(greetlib.hello())\nprint('prefix=' + sys.prefix)\n");
    Files.copy(wheel, app.resolve(wheel.getFileName()));
    byte[] artifact = pack(app);
    FakeRun first = server.enqueue(FakeRun.builder(artifact, "main.py"));
    startAgent();
    assertThat(awaitResult(first).status()).isEqualTo("completed");

    FakeRun second = server.enqueue(FakeRun.builder(artifact, "main.py"));
    awaitResult(second);
    assertThat(awaitResult(second).status()).isEqualTo("completed");

    assertThat(first.lines("stdout")).first().isEqualTo("hello from a local package");
    assertThat(second.lines("stdout")).isEqualTo(first.lines("stdout"));
    assertThat(first.lines("stderr")).contains("installing dependencies from requirements.txt");
    assertThat(second.lines("stderr"))
        .noneMatch(l -> l.contains("installing dependencies") || l.contains("creating virtual"))
        .anyMatch(l -> l.startsWith("using cached Python environment"));
    Path venvs = tmp.resolve("data/venvs");
    try (Stream<Path> builds = Files.list(venvs.resolve("builds"))) {
      assertThat(builds).hasSize(1);
    }
    try (Stream<Path> links = Files.list(venvs)) {
      assertThat(links.filter(Files::isSymbolicLink)).hasSize(1);
    }
    String prefix = first.lines("stdout").get(1).substring("prefix=".length());
    assertThat(Path.of(prefix)).startsWith(venvs.resolve("builds").toRealPath());
  }

  @Test
  void concurrentRunsOfOneAppBuildTheEnvironmentOnceAndShareIt() throws Exception {
    byte[] artifact =
        pack(project("plain", "main.py", "import sys\nprint('prefix=' + sys.prefix)\n"));
    FakeRun a = server.enqueue(FakeRun.builder(artifact, "main.py"));
    FakeRun b = server.enqueue(FakeRun.builder(artifact, "main.py"));
    startAgent(c -> c.withConcurrency(2));

    assertThat(awaitResult(a).status()).isEqualTo("completed");
    assertThat(awaitResult(b).status()).isEqualTo("completed");

    assertThat(a.lines("stdout")).isEqualTo(b.lines("stdout"));
    long builders =
        Stream.of(a, b)
            .filter(r -> r.lines("stderr").stream().anyMatch(l -> l.startsWith("creating virtual")))
            .count();
    assertThat(builders).isEqualTo(1);
    try (Stream<Path> builds = Files.list(tmp.resolve("data/venvs/builds"))) {
      assertThat(builds).hasSize(1);
    }
  }

  /** A pure-Python wheel, so pip installs it offline without a build backend. */
  static Path buildWheel(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path wheel = dir.resolve("greetlib-1.0-py3-none-any.whl");
    String info = "greetlib-1.0.dist-info/";
    List<String[]> files =
        List.of(
            new String[] {
              "greetlib/__init__.py", "def hello():\n    return 'hello from a local package'\n"
            },
            new String[] {
              info + "METADATA", "Metadata-Version: 2.1\nName: greetlib\nVersion: 1.0\n"
            },
            new String[] {
              info + "WHEEL",
              "Wheel-Version: 1.0\nGenerator: minitower-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
            },
            new String[] {
              info + "RECORD",
              "greetlib/__init__.py,,\n"
                  + info
                  + "METADATA,,\n"
                  + info
                  + "WHEEL,,\n"
                  + info
                  + "RECORD,,\n"
            });
    try (OutputStream os = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (String[] f : files) {
        zip.putNextEntry(new ZipEntry(f[0]));
        zip.write(f[1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return wheel;
  }
}
