package dev.minitower.system.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.system.faults.Api;
import dev.minitower.system.faults.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * The images as a user runs them: PostgreSQL, Kafka, the Flyway migration job, the three services
 * and one runner agent (its bubblewrap sandbox on) on one Testcontainers network, built by
 * deploy/containers/images.sh (./mtw test builds them; local Debian-based stand-ins where no
 * registry is reachable). The README's first run through the client API on the mapped port:
 * bootstrap, signup, deploy examples/hello-python, run it with parameters, its logs and result;
 * /metrics of each service on its management port; the run's lifecycle events read from the Kafka
 * container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerStackIT {
  private static final String PASSWORD = "container-password-1";
  private final long started = System.nanoTime();
  private Stack stack;
  private Api team;
  private long runId;

  @BeforeAll
  void startStack() throws Exception {
    Engine.requireOrSkip();
    stack = Stack.start(Images.resolve(), Stack.network());
  }

  @AfterAll
  void stopStack() throws IOException {
    if (stack != null) {
      stack.close();
      long seconds = (System.nanoTime() - started) / 1_000_000_000;
      System.out.printf(
          "[containers] ContainerStackIT took %d s (images, stack, flow, teardown)%n", seconds);
      if (Files.isDirectory(Images.ctDir())) {
        // ./mtw test prints it with the time of the container part.
        Files.writeString(Images.ctDir().resolve("container-it.seconds"), seconds + "\n");
      }
    }
  }

  @Test
  @Order(1)
  void theImagesRunAsTheirOwnUsersAndTheAgentHasItsSandbox() throws Exception {
    for (GenericContainer<?> c : List.of(stack.api, stack.runner, stack.scheduler, stack.agent)) {
      Container.ExecResult id = c.execInContainer("id", "-u");
      assertThat(id.getStdout().trim()).as(c.getDockerImageName()).isEqualTo("10001");
      // podman keeps HEALTHCHECK only in the docker image format (images.sh builds with it). The
      // container's configuration, not the image's: podman's API (4.3) leaves it out of the latter.
      var config = c.getContainerInfo().getConfig();
      assertThat(config.getUser()).as(c.getDockerImageName()).isEqualTo("10001:10001");
      assertThat(config.getHealthcheck()).as(c.getDockerImageName() + " HEALTHCHECK").isNotNull();
      assertThat(config.getHealthcheck().getTest())
          .as(c.getDockerImageName() + " HEALTHCHECK")
          .isNotEmpty();
    }
    Container.ExecResult tools =
        stack.agent.execInContainer(
            "sh", "-c", "command -v javac gcc cc make mvn || true; python3 -c 'import venv'");
    assertThat(tools.getExitCode()).as(tools.getStderr()).isZero();
    assertThat(tools.getStdout()).as("build tools in the runtime image").isBlank();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(stack.agent.getLogs())
                    .contains("workload sandbox ready")
                    .contains("registered successfully"));
    assertThat(stack.agent.getLogs()).doesNotContain("workload sandbox disabled");
  }

  @Test
  @Order(2)
  void firstRunThroughTheClientApi() throws Exception {
    String base = stack.apiUrl();
    // The bootstrap team of a fresh installation, then a team signing up on its own.
    Api first = Api.bootstrap(base, Stack.BOOTSTRAP_TOKEN, "ct-admin", PASSWORD);
    assertThat(first.token).isNotBlank();
    team = Api.signup(base, "ct-team", PASSWORD);
    Http.Res login =
        Http.post(
            base + "/api/v1/teams/login",
            null,
            "{\"slug\":\"ct-team\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(login.status()).as(login.toString()).isIn(200, 201);
    team = team.withToken(login.json().get("token").asText());

    Path example = Stack.root().resolve("examples/hello-python");
    team.createApp("hello-python");
    Http.Res version = team.upload("hello-python", Archives.tarGz(example));
    assertThat(version.status()).as(version.toString()).isEqualTo(201);
    assertThat(version.json().path("version_no").asInt()).isEqualTo(1);

    Http.Res created =
        team.post(
            "/api/v1/apps/hello-python/runs", "{\"input\":{\"name\":\"Container\",\"count\":3}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    runId = created.json().get("run_id").asLong();
    assertThat(created.json().at("/input/count").isNumber()).as("count typed").isTrue();

    JsonNode run;
    try {
      run =
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> team.get("/api/v1/runs/" + runId).json(),
                  r ->
                      Set.of("completed", "failed", "dead", "cancelled")
                          .contains(r.path("status").asText()));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "run "
              + runId
              + " did not end within 3 minutes: "
              + team.get("/api/v1/runs/" + runId).body()
              + "\nagent log:\n"
              + Images.tail(stack.agent.getLogs(), 60),
          e);
    }
    JsonNode ended = run;
    assertThat(run.path("status").asText())
        .as(() -> "run " + ended + "\nagent log:\n" + Images.tail(stack.agent.getLogs(), 40))
        .isEqualTo("completed");

    Http.Res logs = team.get("/api/v1/runs/" + runId + "/logs");
    assertThat(logs.status()).as(logs.toString()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    logs.json().get("logs").forEach(l -> lines.add(l.get("line").asText()));
    assertThat(lines.stream().filter(l -> l.contains("Container")).count())
        .as("greetings in %s", lines)
        .isEqualTo(3);
    assertThat(String.join("\n", lines)).contains("done");
  }

  @Test
  @Order(3)
  void everyServiceServesMetricsOnItsManagementPortOnly() throws Exception {
    // What each service has counted by now (counters appear with their first increment).
    Map<GenericContainer<?>, String> own =
        Map.of(
            stack.api, "minitower_runs_created_total{",
            stack.runner, "minitower_runs_completed_total{",
            stack.scheduler, "minitower_runners_online{");
    Map<GenericContainer<?>, Integer> management =
        Map.of(stack.api, 9080, stack.runner, 9081, stack.scheduler, 9082);
    for (Map.Entry<GenericContainer<?>, Integer> e : management.entrySet()) {
      GenericContainer<?> c = e.getKey();
      String url = "http://" + c.getHost() + ":" + c.getMappedPort(e.getValue()) + "/metrics";
      Http.Res m = Http.get(url, null);
      assertThat(m.status()).as(url).isEqualTo(200);
      assertThat(m.body())
          .as("%s of %s", url, c.getNetworkAliases())
          .contains("jvm_memory_used_bytes{")
          .contains(own.get(c));
      int publicPort = e.getValue() - 1000;
      Http.Res onPublic =
          Http.get("http://" + c.getHost() + ":" + c.getMappedPort(publicPort) + "/metrics", null);
      assertThat(onPublic.status()).as("/metrics on the public port").isNotEqualTo(200);
    }
    String apiMetrics = scrape(stack.api, 9080);
    assertThat(apiMetrics)
        .contains("minitower_http_requests_total{method=\"POST\",path=\"/api/v1/apps/{app}/runs\"")
        .containsPattern(
            "minitower_runs_created_total\\{[^}]*app=\"hello-python\"[^}]*} 1(\\.0)?\\s");
    assertThat(scrape(stack.runner, 9081))
        .containsPattern(
            "minitower_runs_completed_total\\{[^}]*status=\"completed\"[^}]*} 1(\\.0)?\\s");
  }

  private static String scrape(GenericContainer<?> c, int port) {
    return Http.get("http://" + c.getHost() + ":" + c.getMappedPort(port) + "/metrics", null)
        .body();
  }

  @Test
  @Order(4)
  void theRunsLifecycleEventsArriveOnTheKafkaContainer() {
    String subject = Long.toString(runId);
    List<String> types =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    stack.events().stream()
                        .filter(e -> subject.equals(e.path("subject").asText()))
                        .map(e -> e.path("type").asText())
                        .collect(Collectors.toList()),
                t -> t.contains("dev.minitower.run.completed"));
    assertThat(types)
        .as("events of run %s", subject)
        .containsSubsequence(
            "dev.minitower.run.created",
            "dev.minitower.run.leased",
            "dev.minitower.run.started",
            "dev.minitower.run.completed");
  }
}
