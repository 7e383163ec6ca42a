package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/demo.sh: valid bash, and it deploys the example the way the API expects. */
class DemoScriptTest {

  @Test
  void scriptParsesAndIsExecutable() throws Exception {
    var script = Repo.path("deploy/demo.sh");
    assertThat(Files.isExecutable(script)).isTrue();
    Process p =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void deploysHelloPythonAsAMultipartTarGzAndPassesItsParameters() {
    String text = Repo.read(Repo.path("deploy/demo.sh"));
    assertThat(Repo.path("examples/hello-python/Towerfile")).isRegularFile();
    assertThat(Repo.read(Repo.path("examples/hello-python/Towerfile")))
        .contains("name = \"hello-python\"");
    assertThat(text)
        .contains("APP=hello-python")
        .contains("/api/v1/bootstrap/team")
        .contains("/api/v1/teams/login")
        .contains("tar -czf")
        .contains("-F \"artifact=@")
        .contains("/api/v1/apps/$APP/versions")
        .contains("\\\"name\\\":\\\"$1\\\",\\\"count\\\":$2")
        .contains("--loop");
  }
}
