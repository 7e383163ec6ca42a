package dev.minitower.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system as a user meets it: the three packaged services on a fresh database, one real
 * runner agent executing real Python and shell, and the packaged CLI (login, deploy, run with typed
 * parameters, follow logs to the outcome, cancel a long run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PASSWORD = "e2e-password-1";

  private String jdbcUrl;
  private final List<ServiceProcess> services = new ArrayList<>();
  private ServiceProcess api;
  private ServiceProcess runners;
  private Process agent;
  private Path agentLog;
  private Map<String, String> cliEnv;

  @BeforeAll
  void startSystem() throws Exception {
    jdbcUrl = TestStack.createDatabase("mt_e2e");
    Map<String, String> env =
        Map.of(
            "MINITOWER_BOOTSTRAP_TOKEN", "e2e-bootstrap",
            "MINITOWER_LEASE_TTL", "20s",
            "MINITOWER_EXPIRY_CHECK_INTERVAL", "1s");
    api = ServiceProcess.start("api-service", jdbcUrl, env);
    runners = ServiceProcess.start("runner-service", jdbcUrl, env);
    services.add(api);
    services.add(runners);
    services.add(ServiceProcess.start("scheduler-service", jdbcUrl, env));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> services.stream().allMatch(p -> p.managementStatus("/ready") == 200));

    Path data = Files.createTempDirectory("e2e-agent");
    agentLog = Files.createTempFile("e2e-agent", ".log");
    agent =
        JarProcess.start(
            JarProcess.agentJar(),
            Map.of(
                "MINITOWER_SERVER_URL", runners.baseUrl(),
                "MINITOWER_RUNNER_NAME", "e2e-runner",
                "MINITOWER_RUNNER_REGISTRATION_TOKEN", "runner-secret",
                "MINITOWER_DATA_DIR", data.toString(),
                "MINITOWER_POLL_INTERVAL", "1s",
                "MINITOWER_KILL_GRACE_PERIOD", "2s",
                "MINITOWER_RUNNER_CONCURRENCY", "2"),
            agentLog);

    cliEnv = new HashMap<>();
    cliEnv.put(
        "MINITOWER_CLI_CONFIG",
        Files.createTempDirectory("e2e-cli").resolve("config.json").toString());
    HttpResponse<String> boot =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/bootstrap/team"))
                .header("Authorization", "Bearer e2e-bootstrap")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"slug\":\"e2e-team\",\"name\":\"E2E\",\"password\":\""
                            + PASSWORD
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(boot.statusCode()).as(boot.body()).isEqualTo(201);
  }

  @AfterAll
  void stopSystem() throws Exception {
    if (agent != null) {
      agent.destroy();
      agent.waitFor();
    }
    for (ServiceProcess p : services) {
      p.close();
    }
    TestStack.dropDatabase(jdbcUrl);
  }

  private JarProcess.Result cli(String... args) throws Exception {
    return JarProcess.run(JarProcess.cliJar(), cliEnv, 180, args);
  }

  @Test
  @Order(1)
  void loginAndDeployTheExampleApps() throws Exception {
    var login =
        cli("login", "--server", api.baseUrl(), "--team", "e2e-team", "--password", PASSWORD);
    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(login.out()).contains("Logged in as team \"e2e-team\"");

    var deploy =
        cli(
            "deploy",
            "--dir",
            TestStack.root().resolve("examples/hello-python").toString(),
            "--json");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    JsonNode version = JSON.readTree(deploy.out());
    assertThat(version.at("/app_slug").asText()).isEqualTo("hello-python");
    assertThat(version.at("/version/version_no").asInt()).isEqualTo(1);

    var shell = cli("deploy", "--dir", TestStack.root().resolve("examples/hello-shell").toString());
    assertThat(shell.exitCode()).as(shell.err()).isZero();
  }

  @Test
  @Order(2)
  void pythonRunWithTypedParametersCompletesAndItsLogsFollowToTheEnd() throws Exception {
    var created =
        cli("runs", "create", "--app", "hello-python", "-p", "name=E2E", "-p", "count=3", "--json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    JsonNode run = JSON.readTree(created.out());
    assertThat(run.at("/input/count").isNumber()).as("count typed as integer").isTrue();
    String id = run.at("/run_id").asText();

    var logs = cli("runs", "logs", id, "--follow", "--interval", "1s");
    assertThat(logs.exitCode()).as(logs.err() + "\nagent log:\n" + agentLogTail()).isZero();
    assertThat(logs.out()).contains("E2E").contains("done");
    var get = cli("runs", "get", id, "--json");
    assertThat(JSON.readTree(get.out()).at("/status").asText()).isEqualTo("completed");
  }

  @Test
  @Order(3)
  void shellRunCompletes() throws Exception {
    var created = cli("runs", "create", "--app", "hello-shell", "-p", "name=Shell", "--json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    String id = JSON.readTree(created.out()).at("/run_id").asText();
    var watch = cli("runs", "watch", id, "--interval", "1s");
    assertThat(watch.exitCode()).as(watch.out() + watch.err() + agentLogTail()).isZero();
    var logs = cli("runs", "logs", id);
    assertThat(logs.out()).contains("Hello, Shell");
  }

  @Test
  @Order(4)
  void longRunIsCancelledAndItsProcessStops() throws Exception {
    Path app = Files.createTempDirectory("sleeper");
    Files.writeString(
        app.resolve("Towerfile"),
        "[app]\nname = \"sleeper\"\nscript = \"./sleep.sh\"\nsource = [\"./*.sh\"]\n");
    Files.writeString(app.resolve("sleep.sh"), "#!/bin/sh\necho started\nsleep 300\necho never\n");
    assertThat(cli("deploy", "--dir", app.toString()).exitCode()).isZero();
    var created = cli("runs", "create", "--app", "sleeper", "--json");
    String id = JSON.readTree(created.out()).at("/run_id").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                JSON.readTree(cli("runs", "get", id, "--json").out())
                    .at("/status")
                    .asText()
                    .equals("running"));
    var cancel = cli("runs", "cancel", id);
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    var watch = cli("runs", "watch", id, "--interval", "1s");
    assertThat(watch.exitCode()).as("watch exit code of a cancelled run").isEqualTo(2);
    assertThat(JSON.readTree(cli("runs", "get", id, "--json").out()).at("/status").asText())
        .isEqualTo("cancelled");
    assertThat(cli("runs", "logs", id).out()).contains("started").doesNotContain("never");
  }

  @Test
  @Order(5)
  void aBusySlotGetsItsNextRunWithTheResultInsteadOfALeaseCall() throws Exception {
    JsonNode config = JSON.readTree(Files.readString(Path.of(cliEnv.get("MINITOWER_CLI_CONFIG"))));
    String token =
        config.at("/profiles/" + config.at("/current_profile").asText() + "/token").asText();
    assertThat(token).isNotEmpty();
    // Six runs queued at once for two slots: the agent leases what fits, and each result asks
    // for the slot's next run (docs/leasing.md), so most runs never need a lease call.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> created =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/apps/hello-shell/runs"))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"name\":\"Next\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      ids.add(JSON.readTree(created.body()).at("/run_id").asText());
    }
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  JSON.readTree(cli("runs", "get", id, "--json").out())
                      .at("/status")
                      .asText()
                      .equals("completed"));
    }
    assertThat(Files.readString(agentLog)).contains("next run granted with the result");
  }

  @Test
  @Order(6)
  void theRunnerIsListedForTheTeamAdmin() throws Exception {
    var list = cli("runners", "list", "--json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("e2e-runner");
  }

  @Test
  @Order(7)
  void everyServiceExportsTheOperationsGuideMetricsWithTheirTypesAndLabels() throws Exception {
    Map<String, String> apiMetrics = metricTypes(api, "api-service");
    Map<String, String> runnerMetrics = metricTypes(runners, "runner-service");
    Map<String, String> schedulerMetrics = metricTypes(services.get(2), "scheduler-service");
    for (Map<String, String> m : List.of(apiMetrics, runnerMetrics, schedulerMetrics)) {
      assertThat(m)
          .containsEntry("minitower_http_requests_total", "counter")
          .containsEntry("minitower_http_request_duration_seconds", "histogram")
          .containsEntry("minitower_http_response_size_bytes", "histogram");
    }
    assertThat(apiMetrics)
        .containsEntry("minitower_http_request_size_bytes", "histogram")
        .containsEntry("minitower_runs_created_total", "counter");
    assertThat(runnerMetrics)
        .containsEntry("minitower_runs_leased_total", "counter")
        .containsEntry("minitower_runners_registered_total", "counter")
        .containsEntry("minitower_runs_completed_total", "counter")
        .containsEntry("minitower_run_queue_wait_seconds", "histogram")
        .containsEntry("minitower_run_execution_seconds", "histogram")
        .containsEntry("minitower_run_total_seconds", "histogram");
    assertThat(schedulerMetrics).containsEntry("minitower_runners_online", "gauge");

    String runner = scrape(runners);
    assertThat(labels(runner, "minitower_runs_completed_total"))
        .containsExactly("app", "status", "team");
    assertThat(labels(runner, "minitower_runs_leased_total")).containsExactly("environment");
    assertThat(labels(runner, "minitower_run_queue_wait_seconds_bucket"))
        .containsExactly("app", "le", "team");
    assertThat(labels(runner, "minitower_run_execution_seconds_bucket"))
        .containsExactly("app", "le", "status", "team");
    assertThat(runner).contains("le=\"0.1\"").contains("le=\"1638.4\"");
    String apiText = scrape(api);
    assertThat(labels(apiText, "minitower_runs_created_total")).containsExactly("app", "team");
    assertThat(labels(apiText, "minitower_http_requests_total"))
        .containsExactly("method", "path", "status");
    assertThat(labels(apiText, "minitower_http_request_duration_seconds_bucket"))
        .containsExactly("le", "method", "path");
    assertThat(apiText)
        .contains("path=\"/api/v1/runs/{run}\"")
        .doesNotContainPattern("path=\"/api/v1/runs/\\d");
    assertThat(labels(scrape(services.get(2)), "minitower_runners_online"))
        .containsExactly("environment");
  }

  private static String scrape(ServiceProcess service) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(service.managementUrl() + "/metrics"))
                .header("Accept", "text/plain; version=0.0.4")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** {@code # TYPE} lines of the minitower_* families: name to type. */
  private static Map<String, String> metricTypes(ServiceProcess service, String name)
      throws Exception {
    Map<String, String> types = new java.util.TreeMap<>();
    for (String line : scrape(service).split("\n")) {
      if (line.startsWith("# TYPE minitower_")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      }
    }
    assertThat(types).as(name + " exports minitower_* metrics").isNotEmpty();
    return types;
  }

  /** The sorted label names of the first sample of {@code series}. */
  private static List<String> labels(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + "{")) {
        // Route templates contain braces ({run}): the label block ends at the last one.
        String inner = line.substring(series.length() + 1, line.lastIndexOf('}'));
        return java.util.Arrays.stream(inner.split(",(?=[a-z_]+=\")"))
            .filter(kv -> kv.contains("="))
            .map(kv -> kv.substring(0, kv.indexOf('=')))
            .sorted()
            .toList();
      }
    }
    throw new AssertionError("no series " + series);
  }

  private String agentLogTail() {
    try {
      String s = Files.readString(agentLog);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (Exception e) {
      return "";
    }
  }
}
