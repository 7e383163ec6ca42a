package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images' Dockerfiles, read (./mtw images builds them, ContainerStackIT runs them). Base images
 * are build args: the checks apply to their defaults, the upstream images.
 */
class DockerfileTest {

  /**
   * The Dockerfile with every {@code ${NAME}} of an {@code ARG NAME=default} replaced by default.
   */
  static String read(String name) {
    String text = Repo.read(Repo.path("deploy/docker/" + name + ".Dockerfile"));
    Matcher arg = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)").matcher(text);
    String resolved = text;
    while (arg.find()) {
      resolved = resolved.replace("${" + arg.group(1) + "}", arg.group(2));
    }
    return resolved;
  }

  @ParameterizedTest
  @ValueSource(strings = {"api-service", "runner-service", "scheduler-service", "runner-agent"})
  void pinnedBaseNonRootUserAndHealthcheck(String name) {
    String text = read(name);
    Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(text);
    int bases = 0;
    while (from.find()) {
      bases++;
      assertThat(from.group(1)).as(name).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
    }
    assertThat(bases).isPositive();
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(text);
    assertThat(user.find()).as(name + " USER").isTrue();
    assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0");
    assertThat(text).as(name).containsPattern("(?m)^HEALTHCHECK ");
    assertThat(text).as(name).containsPattern("(?m)^ENTRYPOINT \\[");
    assertThat(Repo.path("deploy/docker/" + name + ".Dockerfile.dockerignore")).isRegularFile();
  }

  @ParameterizedTest
  @ValueSource(strings = {"api-service", "runner-service", "scheduler-service"})
  void servicesShipTheQuarkusFastJarOnAJre17(String name) {
    String text = read(name);
    assertThat(text).contains("FROM eclipse-temurin:17");
    for (String part : List.of("lib/", "app/", "quarkus/")) {
      assertThat(text).contains("COPY --chown=10001:10001 " + name + "/target/quarkus-app/" + part);
    }
    assertThat(text)
        .contains("quarkus-run.jar")
        .containsPattern("MINITOWER_MANAGEMENT_PORT=90\\d\\d")
        .contains("curl -fsS \"http://127.0.0.1:${MINITOWER_MANAGEMENT_PORT}/health\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"runner-agent"})
  void runnerAgentRunsOnAPythonBaseWithVenv(String name) {
    String text = read(name);
    assertThat(text).containsPattern("(?m)^FROM python:3\\.\\d+");
    assertThat(text)
        .contains("python3 -m venv")
        .contains("runner-agent/target/minitower-runner.jar");
  }

  /**
   * bubblewrap, prlimit (util-linux) and kill (procps): the agent refuses to start without them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"runner-agent"})
  void runnerAgentShipsTheWorkloadSandboxTools(String name) {
    String text = read(name);
    Matcher install =
        Pattern.compile("apt-get install -y --no-install-recommends ([^\\&]+)").matcher(text);
    assertThat(install.find()).isTrue();
    assertThat(install.group(1).trim().split("\\s+"))
        .contains("bubblewrap", "util-linux", "procps");
    assertThat(text).contains("bwrap --version");
    assertThat(text).doesNotContain("chmod u+s").doesNotContain("setcap");
  }
}
