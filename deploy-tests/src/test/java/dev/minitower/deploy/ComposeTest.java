package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked by parsing (no Docker engine here): the services of docs/deploy.md,
 * ports of the operations guide, health checks, start order and pinned images.
 */
class ComposeTest {
  static JsonNode services;
  static JsonNode compose;

  @BeforeAll
  static void parse() {
    // SnakeYAML resolves the anchors and merge keys (<<) compose files use; Jackson does not.
    Object loaded = new org.yaml.snakeyaml.Yaml().load(Repo.read(Repo.path("docker-compose.yml")));
    compose = Repo.JSON.valueToTree(loaded);
    services = compose.get("services");
  }

  @Test
  void theWholeStackIsThere() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "postgres",
            "kafka",
            "migrate",
            "api-service",
            "runner-service",
            "scheduler-service",
            "runner-1",
            "runner-2",
            "gateway",
            "prometheus",
            "grafana");
  }

  @Test
  void portsFollowTheGuide() {
    // The management ports (probes, metrics) only on this host's loopback.
    assertThat(ports("api-service")).containsExactly("8080:8080", "127.0.0.1:9080:9080");
    assertThat(ports("runner-service")).containsExactly("8081:8081", "127.0.0.1:9081:9081");
    assertThat(ports("scheduler-service")).containsExactly("8082:8082", "127.0.0.1:9082:9082");
    assertThat(ports("prometheus")).containsExactly("9090:9090");
    assertThat(ports("grafana")).containsExactly("3000:3000");
    assertThat(ports("gateway")).containsExactly("8000:8000");
    for (String internal : List.of("postgres", "kafka", "runner-1", "runner-2", "migrate")) {
      assertThat(services.get(internal).has("ports")).as(internal).isFalse();
    }
  }

  private static List<String> ports(String service) {
    List<String> ports = new ArrayList<>();
    services.get(service).path("ports").forEach(p -> ports.add(p.asText()));
    return ports;
  }

  @Test
  void everyImageIsPinnedAndNeverLatest() {
    services
        .fields()
        .forEachRemaining(
            e -> {
              String image = e.getValue().path("image").asText();
              assertThat(image).as(e.getKey()).isNotEmpty();
              assertThat(image).as(e.getKey()).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
            });
  }

  @Test
  void longRunningServicesHaveHealthChecksAndTheServicesCheckReadiness() {
    for (String name :
        List.of(
            "postgres",
            "kafka",
            "api-service",
            "runner-service",
            "scheduler-service",
            "gateway",
            "prometheus",
            "grafana")) {
      JsonNode hc = services.get(name).get("healthcheck");
      assertThat(hc).as(name).isNotNull();
      assertThat(hc.get("test").isArray()).as(name).isTrue();
    }
    Map<String, Integer> management =
        Map.of("api-service", 9080, "runner-service", 9081, "scheduler-service", 9082);
    for (var entry :
        Map.of("api-service", 8080, "runner-service", 8081, "scheduler-service", 8082).entrySet()) {
      JsonNode service = services.get(entry.getKey());
      int mport = management.get(entry.getKey());
      assertThat(service.get("healthcheck").get("test").toString())
          .as("readiness is served on the management port")
          .contains("http://127.0.0.1:" + mport + "/ready");
      assertThat(service.get("environment").get("MINITOWER_HTTP_PORT").asText())
          .isEqualTo(String.valueOf(entry.getValue()));
      assertThat(service.get("environment").get("MINITOWER_MANAGEMENT_PORT").asText())
          .isEqualTo(String.valueOf(mport));
      assertThat(service.get("ports").toString())
          .as("the management port is published on this host only")
          .contains("127.0.0.1:" + mport + ":" + mport)
          .doesNotContain("\"" + mport + ":");
    }
    assertThat(services.get("gateway").get("healthcheck").get("test").toString())
        .as("the gateway checks a public path of api-service (the probes are not public)")
        .doesNotContain("/health")
        .doesNotContain("/ready");
  }

  @Test
  void onlySchedulerServiceIsGivenTheBroker() {
    assertThat(
            services.get("scheduler-service").get("environment").get("MINITOWER_KAFKA_BOOTSTRAP"))
        .isNotNull();
    for (String name : List.of("api-service", "runner-service")) {
      assertThat(services.get(name).get("environment").has("MINITOWER_KAFKA_BOOTSTRAP"))
          .as(name + " has no Kafka client")
          .isFalse();
      assertThat(services.get(name).get("depends_on").has("kafka")).as(name).isFalse();
    }
  }

  @Test
  void startOrderWaitsForHealthyDependenciesAndTheMigration() {
    for (String name : List.of("api-service", "runner-service", "scheduler-service")) {
      JsonNode deps = services.get(name).get("depends_on");
      assertThat(deps.get("postgres").get("condition").asText()).isEqualTo("service_healthy");
      assertThat(deps.get("migrate").get("condition").asText())
          .isEqualTo("service_completed_successfully");
      assertThat(services.get(name).get("environment").get("MINITOWER_MIGRATE_AT_START").asText())
          .isEqualTo("false");
    }
    assertThat(
            services
                .get("scheduler-service")
                .get("depends_on")
                .get("kafka")
                .get("condition")
                .asText())
        .isEqualTo("service_healthy");
    assertThat(services.get("migrate").get("depends_on").get("postgres").get("condition").asText())
        .isEqualTo("service_healthy");
    for (String runner : List.of("runner-1", "runner-2")) {
      JsonNode r = services.get(runner);
      assertThat(r.get("depends_on").get("runner-service").get("condition").asText())
          .isEqualTo("service_healthy");
      assertThat(r.get("environment").get("MINITOWER_SERVER_URL").asText())
          .isEqualTo("http://runner-service:8081");
      assertThat(r.get("environment").get("MINITOWER_RUNNER_NAME").asText()).isEqualTo(runner);
      assertThat(r.get("stop_grace_period").asText()).isEqualTo("60s");
    }
    assertThat(
            services.get("grafana").get("depends_on").get("prometheus").get("condition").asText())
        .isEqualTo("service_healthy");
  }

  @Test
  void developmentTokensAreTheDocumentedDefaults() {
    assertThat(
            services
                .get("api-service")
                .get("environment")
                .get("MINITOWER_BOOTSTRAP_TOKEN")
                .asText())
        .isEqualTo("dev");
    for (String name : List.of("runner-service", "runner-1", "runner-2")) {
      assertThat(
              services
                  .get(name)
                  .get("environment")
                  .get("MINITOWER_RUNNER_REGISTRATION_TOKEN")
                  .asText())
          .isEqualTo("runner-secret");
    }
  }

  @Test
  void runnersGetWhatTheWorkloadSandboxNeedsAndNoPrivileges() {
    for (String runner : List.of("runner-1", "runner-2")) {
      JsonNode r = services.get(runner);
      List<String> options = new ArrayList<>();
      r.path("security_opt").forEach(o -> options.add(o.asText()));
      assertThat(options)
          .as(runner)
          .contains("systempaths=unconfined", "seccomp=./k8s/base/runner-agent/seccomp.json")
          .doesNotContain("seccomp=unconfined", "seccomp:unconfined");
      assertThat(r.path("cap_drop").toString()).as(runner).contains("ALL");
      assertThat(r.has("cap_add")).as(runner).isFalse();
      assertThat(r.path("privileged").asBoolean(false)).as(runner).isFalse();
      assertThat(r.has("user")).as(runner + " keeps the image's non-root user").isFalse();
      assertThat(r.get("environment").has("MINITOWER_SANDBOX")).as(runner).isFalse();
    }
    assertThat(Repo.path("k8s/base/runner-agent/seccomp.json")).isRegularFile();
  }

  @Test
  void mountedAndBuiltFilesExist() {
    services
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode build = e.getValue().get("build");
              if (build != null) {
                assertThat(Repo.path(build.get("dockerfile").asText()))
                    .as(e.getKey())
                    .isRegularFile();
                assertThat(build.get("context").asText()).isEqualTo(".");
              }
              for (JsonNode volume : e.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./")) {
                  assertThat(Files.exists(Repo.path(source.substring(2))))
                      .as(e.getKey() + " mounts " + source)
                      .isTrue();
                } else {
                  assertThat(compose.get("volumes").has(source))
                      .as(e.getKey() + " volume " + source)
                      .isTrue();
                }
              }
            });
  }

  @Test
  void prometheusAndGrafanaGetTheirConfiguration() {
    assertThat(services.get("prometheus").get("volumes").toString())
        .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml")
        .contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml");
    assertThat(services.get("grafana").get("volumes").toString())
        .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning")
        .contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards");
    JsonNode env = services.get("grafana").get("environment");
    assertThat(env.get("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("true");
    assertThat(env.get("GF_AUTH_ANONYMOUS_ORG_ROLE").asText()).isEqualTo("Viewer");
    assertThat(env.get("GF_AUTH_DISABLE_LOGIN_FORM").asText()).isEqualTo("true");
  }
}
