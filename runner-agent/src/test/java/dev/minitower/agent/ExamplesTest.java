package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.agent.fake.FakeRun;
import dev.minitower.model.artifact.ArtifactPackager;
import dev.minitower.model.towerfile.Towerfile;
import dev.minitower.model.towerfile.TowerfileParser;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The repository's examples validate, package like the CLI does, and run on the agent. */
class ExamplesTest extends AgentTestSupport {
  static final Path EXAMPLES = Path.of("..", "examples");

  static FakeRun.Builder deploy(String name) throws Exception {
    Path dir = EXAMPLES.resolve(name);
    Towerfile tf = TowerfileParser.parse(Files.readString(dir.resolve("Towerfile")));
    assertThat(tf.appName()).isEqualTo(name);
    ByteArrayOutputStream artifact = new ByteArrayOutputStream();
    ArtifactPackager.pack(dir, tf, artifact);
    return FakeRun.builder(artifact.toByteArray(), tf.script())
        .app(tf.appName(), 1)
        .timeoutSeconds(tf.timeoutSeconds())
        .importPaths(tf.importPaths(), true);
  }

  @Test
  void helloPythonGreetsWithItsParametersAndTheImportPathHelper() throws Exception {
    FakeRun run =
        server.enqueue(
            deploy("hello-python").input(input().put("name", "MiniTower").put("count", 2)));
    startAgent();

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(run.lines("stdout"))
        .containsExactly(
            "run #" + run.runNo + " (attempt 1) of hello-python",
            "Hello, MiniTower! (1)",
            "Hello, MiniTower! (2)");
    assertThat(run.lines("stderr")).contains("done");
  }

  @Test
  void helloShellFallsBackToItsDefault() throws Exception {
    FakeRun run = server.enqueue(deploy("hello-shell"));
    startAgent();

    assertThat(awaitResult(run).status()).isEqualTo("completed");
    assertThat(run.lines("stdout"))
        .containsExactly(
            "Hello, World, from run #" + run.runNo + " of hello-shell v1",
            "working directory: app, shell: Linux");
  }
}
