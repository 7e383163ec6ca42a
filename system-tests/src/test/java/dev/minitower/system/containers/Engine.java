package dev.minitower.system.containers;

import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a container engine answers on the Docker API (DOCKER_HOST, or the default socket). Where
 * none does, the container tests are skipped with the reason, unless MTW_CONTAINERS_REQUIRED=1 (set
 * by ./mtw test, which starts podman's socket): then they fail, so CI never skips them silently.
 */
final class Engine {
  private Engine() {}

  static void requireOrSkip() {
    String why;
    try {
      if (DockerClientFactory.instance().isDockerAvailable()) {
        return;
      }
      String host = System.getenv("DOCKER_HOST");
      why =
          host == null
              ? "DOCKER_HOST is not set and no Docker engine answers on /var/run/docker.sock"
              : "nothing answers on DOCKER_HOST=" + host;
    } catch (RuntimeException | Error e) {
      why = e.toString();
    }
    if ("1".equals(System.getenv("MTW_CONTAINERS_REQUIRED"))) {
      fail("container engine required (MTW_CONTAINERS_REQUIRED=1) but not usable: " + why);
    }
    String reason =
        "no container engine: "
            + why
            + " (./mtw test starts podman's API socket; docs/deploy.md \"Container tests\")";
    // Failsafe counts a class aborted in @BeforeAll as 0 tests run: say it in the build output.
    System.out.println("[containers] ContainerStackIT skipped: " + reason);
    Assumptions.abort(reason);
  }
}
