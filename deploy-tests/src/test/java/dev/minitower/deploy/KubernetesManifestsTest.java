package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Invariants of every rendered kustomization (STYLE.md "Kubernetes and compose"). */
class KubernetesManifestsTest {
  static final List<String> SERVICES =
      List.of("api-service", "runner-service", "scheduler-service");
  static final Map<String, Integer> PORTS =
      Map.of("api-service", 8080, "runner-service", 8081, "scheduler-service", 8082);

  /** Probes and Prometheus only: never targeted by the HTTPRoute. */
  static final Map<String, Integer> MANAGEMENT_PORTS =
      Map.of("api-service", 9080, "runner-service", 9081, "scheduler-service", 9082);

  static Stream<Rendered> renderings() {
    return Stream.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod").map(Rendered::of);
  }

  static List<Container> containers(PodSpec spec) {
    List<Container> all = new ArrayList<>(spec.getContainers());
    if (spec.getInitContainers() != null) {
      all.addAll(spec.getInitContainers());
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyComponentIsDeployed(Rendered r) {
    for (String name :
        List.of("api-service", "runner-service", "scheduler-service", "runner-agent")) {
      assertThat(r.deployment(name)).as(name).isNotNull();
    }
    for (String name : SERVICES) {
      Service service = r.service(name);
      assertThat(service.getSpec().getPorts())
          .as(name + " ports")
          .extracting(ServicePort::getName, ServicePort::getPort)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("http", PORTS.get(name)),
              org.assertj.core.groups.Tuple.tuple("management", MANAGEMENT_PORTS.get(name)));
    }
    assertThat(r.find(Job.class, "minitower-migrate")).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void deploymentSelectorsMatchTheirPodLabels(Rendered r) {
    for (Deployment d : r.all(Deployment.class)) {
      Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
      assertThat(selector).as(d.getMetadata().getName()).isNotEmpty();
      assertThat(selector).doesNotContainKey("app.kubernetes.io/version");
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .as(d.getMetadata().getName() + " pod labels")
          .containsAllEntriesOf(selector);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void recommendedLabelsComeFromOneNameAndTheImageVersion(Rendered r) {
    for (Deployment d : r.all(Deployment.class)) {
      String name = d.getMetadata().getName();
      Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
      for (Map<String, String> labels : List.of(d.getMetadata().getLabels(), podLabels)) {
        assertThat(labels)
            .as(name)
            .containsEntry("app.kubernetes.io/name", name)
            .containsEntry("app.kubernetes.io/part-of", "minitower")
            .containsKey("app.kubernetes.io/version");
      }
      String version = podLabels.get("app.kubernetes.io/version");
      for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
        assertThat(c.getImage()).as(name + " image").endsWith("/" + name + ":" + version);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyContainerHasRequestsAndLimits(Rendered r) {
    r.podTemplates()
        .forEach(
            (owner, template) -> {
              for (Container c : containers(template.getSpec())) {
                assertThat(c.getResources()).as(owner).isNotNull();
                assertThat(c.getResources().getRequests())
                    .as(owner + " requests")
                    .containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits())
                    .as(owner + " limits")
                    .containsKeys("cpu", "memory");
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void imagesArePinnedAndNeverLatest(Rendered r) {
    r.podTemplates()
        .forEach(
            (owner, template) -> {
              for (Container c : containers(template.getSpec())) {
                String image = c.getImage();
                String tag =
                    image.lastIndexOf(':') > image.lastIndexOf('/')
                        ? image.substring(image.lastIndexOf(':') + 1)
                        : "";
                assertThat(tag).as(owner + " " + image).isNotEmpty().isNotEqualTo("latest");
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void servicesProbeHealthForLivenessAndReadyForReadinessOnTheirManagementPort(Rendered r) {
    for (String name : SERVICES) {
      Container c = r.deployment(name).getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(c.getPorts())
          .as(name)
          .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("http", PORTS.get(name)),
              org.assertj.core.groups.Tuple.tuple("management", MANAGEMENT_PORTS.get(name)));
      assertHttpProbe(name, c, c.getLivenessProbe(), "/health");
      assertHttpProbe(name, c, c.getReadinessProbe(), "/ready");
      assertHttpProbe(name, c, c.getStartupProbe(), "/health");
      assertThat(env(c, "MINITOWER_HTTP_PORT")).isEqualTo(String.valueOf(PORTS.get(name)));
      assertThat(env(c, "MINITOWER_MANAGEMENT_PORT"))
          .isEqualTo(String.valueOf(MANAGEMENT_PORTS.get(name)));
      assertThat(r.deployment(name).getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry("prometheus.io/port", String.valueOf(MANAGEMENT_PORTS.get(name)))
          .containsEntry("prometheus.io/path", "/metrics");
    }
  }

  private static void assertHttpProbe(String name, Container c, Probe probe, String path) {
    assertThat(probe).as(name + " probe for " + path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(name).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal())
        .as(name + " " + path)
        .isEqualTo("management");
    assertThat(portExists(List.of(c), probe.getHttpGet().getPort()))
        .as(name + " probe port " + probe.getHttpGet().getPort())
        .isTrue();
  }

  private static boolean portExists(List<Container> containers, IntOrString port) {
    return containers.stream()
        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
        .anyMatch(
            p ->
                port.getStrVal() != null
                    ? port.getStrVal().equals(p.getName())
                    : port.getIntVal().equals(p.getContainerPort()));
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyServiceSelectsPodsThatHaveItsTargetPort(Rendered r) {
    for (Service s : r.all(Service.class)) {
      String name = s.getMetadata().getName();
      if ("ExternalName".equals(s.getSpec().getType())) {
        assertThat(s.getSpec().getExternalName()).as(name).isNotBlank();
        continue;
      }
      Map<String, String> selector = s.getSpec().getSelector();
      assertThat(selector).as(name + " selector").isNotEmpty();
      List<PodTemplateSpec> selected =
          r.podTemplates().values().stream()
              .filter(t -> Rendered.selects(selector, t.getMetadata().getLabels()))
              .toList();
      assertThat(selected).as(name + " selects pods").isNotEmpty();
      for (PodTemplateSpec t : selected) {
        for (ServicePort p : s.getSpec().getPorts()) {
          assertThat(portExists(t.getSpec().getContainers(), p.getTargetPort()))
              .as(name + " targetPort " + p.getTargetPort())
              .isTrue();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void autoscalersTargetApiAndRunnerServiceDeploymentsThatRequestCpu(Rendered r) {
    List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class);
    assertThat(hpas)
        .extracting(h -> h.getSpec().getScaleTargetRef().getName())
        .containsExactlyInAnyOrder("api-service", "runner-service");
    for (HorizontalPodAutoscaler h : hpas) {
      var ref = h.getSpec().getScaleTargetRef();
      assertThat(ref.getKind()).isEqualTo("Deployment");
      assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
      Deployment target = r.deployment(ref.getName());
      assertThat(
              target
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getResources()
                  .getRequests())
          .containsKey("cpu");
      assertThat(h.getSpec().getMinReplicas()).isPositive();
      assertThat(h.getSpec().getMaxReplicas()).isGreaterThan(h.getSpec().getMinReplicas());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void disruptionBudgetsSelectExactlyOneDeploymentAndAllowADrain(Rendered r) {
    List<PodDisruptionBudget> pdbs = r.all(PodDisruptionBudget.class);
    assertThat(pdbs)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "api-service", "runner-service", "scheduler-service", "runner-agent");
    for (PodDisruptionBudget pdb : pdbs) {
      Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
      assertThat(selector).isNotEmpty();
      List<Deployment> matched =
          r.all(Deployment.class).stream()
              .filter(
                  d ->
                      Rendered.selects(
                          selector, d.getSpec().getTemplate().getMetadata().getLabels()))
              .toList();
      assertThat(matched).as(pdb.getMetadata().getName()).hasSize(1);
      int replicas = minimumReplicas(r, matched.get(0));
      if (pdb.getSpec().getMinAvailable() != null) {
        assertThat(pdb.getSpec().getMinAvailable().getIntVal())
            .as(pdb.getMetadata().getName() + ": minAvailable below replicas, or no node drains")
            .isLessThan(replicas);
      } else {
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isPositive();
      }
    }
  }

  /** The fewest pods a Deployment runs: its autoscaler's minimum, else its replicas (default 1). */
  private static int minimumReplicas(Rendered r, Deployment d) {
    return r.all(HorizontalPodAutoscaler.class).stream()
        .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(d.getMetadata().getName()))
        .map(h -> h.getSpec().getMinReplicas())
        .findFirst()
        .orElse(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void autoscaledDeploymentsLeaveTheReplicaCountToTheAutoscaler(Rendered r) {
    for (HorizontalPodAutoscaler h : r.all(HorizontalPodAutoscaler.class)) {
      assertThat(r.deployment(h.getSpec().getScaleTargetRef().getName()).getSpec().getReplicas())
          .as(h.getMetadata().getName())
          .isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void runnerPodsOutliveTheAgentsDrain(Rendered r) {
    PodSpec spec = r.deployment("runner-agent").getSpec().getTemplate().getSpec();
    Container agent = spec.getContainers().get(0);
    long drain = seconds(env(agent, "MINITOWER_DRAIN_TIMEOUT"));
    long grace = seconds(env(agent, "MINITOWER_KILL_GRACE_PERIOD"));
    assertThat(drain).isEqualTo(30);
    assertThat(spec.getTerminationGracePeriodSeconds()).isGreaterThan(drain + grace);
    assertThat(env(agent, "MINITOWER_SERVER_URL")).isEqualTo("http://runner-service:8081");
    for (String name : SERVICES) {
      assertThat(
              r.deployment(name)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getTerminationGracePeriodSeconds())
          .as(name)
          .isGreaterThanOrEqualTo(15);
    }
  }

  private static long seconds(String duration) {
    assertThat(duration).matches("\\d+s");
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void noLiteralSecretsInContainerEnvironments(Rendered r) {
    r.podTemplates()
        .forEach(
            (owner, template) -> {
              for (Container c : containers(template.getSpec())) {
                for (EnvVar e : c.getEnv()) {
                  if (e.getName().endsWith("_FILE")) {
                    // A path, not a secret: it must point into a mounted Secret.
                    assertThat(secretMountHolding(template.getSpec(), c, e.getValue()))
                        .as(owner + " " + e.getName() + " = " + e.getValue())
                        .isNotNull();
                  } else if (e.getName().matches(".*(TOKEN|PASSWORD|SECRET).*")) {
                    assertThat(e.getValue()).as(owner + " " + e.getName()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef())
                        .as(owner + " " + e.getName())
                        .isNotNull();
                  }
                }
              }
            });
  }

  /**
   * The Secret volume of {@code spec} that {@code c} mounts at a parent of {@code file}, or null.
   */
  private static io.fabric8.kubernetes.api.model.SecretVolumeSource secretMountHolding(
      PodSpec spec, Container c, String file) {
    for (var mount : c.getVolumeMounts()) {
      if (file == null || !file.startsWith(mount.getMountPath() + "/")) {
        continue;
      }
      for (var v : spec.getVolumes()) {
        if (v.getName().equals(mount.getName()) && v.getSecret() != null) {
          return v.getSecret();
        }
      }
    }
    return null;
  }

  /**
   * What the agent's bubblewrap sandbox needs, and nothing more: its own user namespace for the
   * pod, an unmasked /proc, the Localhost seccomp profile shipped next to the Deployment, no
   * capabilities, no privilege escalation, and the registration token as a file from the Secret.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void runnerPodsCanBuildTheWorkloadSandboxWithoutPrivileges(Rendered r) {
    PodSpec spec = r.deployment("runner-agent").getSpec().getTemplate().getSpec();
    Container agent = spec.getContainers().get(0);
    assertThat(spec.getHostUsers()).as("hostUsers").isFalse();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getRunAsUser()).isPositive();
    var sc = agent.getSecurityContext();
    assertThat(sc.getProcMount()).isEqualTo("Unmasked");
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("Localhost");
    assertThat(sc.getSeccompProfile().getLocalhostProfile())
        .isEqualTo("minitower/runner-agent.json");
    assertThat(Repo.path("k8s/base/runner-agent/seccomp.json")).isRegularFile();
    assertThat(env(agent, "MINITOWER_SANDBOX")).isNull();

    assertThat(agent.getEnv())
        .extracting(EnvVar::getName)
        .contains("MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE")
        .doesNotContain("MINITOWER_RUNNER_REGISTRATION_TOKEN");
    var secret =
        secretMountHolding(spec, agent, env(agent, "MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE"));
    assertThat(secret).isNotNull();
    assertThat(secret.getSecretName()).isEqualTo("minitower-secrets");
    assertThat(secret.getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKey()).isEqualTo("runner-registration-token");
              assertThat(env(agent, "MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE"))
                  .endsWith("/" + i.getPath());
            });
    // Owned by root, group fsGroup: the agent reads it through its group, nobody else at all.
    assertThat(secret.getDefaultMode()).isEqualTo(0440);
    assertThat(spec.getSecurityContext().getFsGroup())
        .isEqualTo(spec.getSecurityContext().getRunAsGroup());
    assertThat(agent.getVolumeMounts())
        .filteredOn(m -> "/run/secrets/minitower".equals(m.getMountPath()))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
  }

  @Test
  void baseHoldsNoSecretObjectsOnlyReferences() {
    Rendered base = Rendered.of("k8s/base");
    assertThat(base.all(Secret.class)).isEmpty();
    assertThat(base.all(GenericKubernetesResource.class))
        .extracting(HasMetadata::getKind)
        .doesNotContain("ExternalSecret", "SealedSecret");
    assertThat(base.configMap("minitower-config").orElseThrow().getData().keySet())
        .noneMatch(k -> k.matches("(?i).*(password|token|secret).*"));
  }

  /**
   * Every field is known to the fabric8 model of its kind: a misspelt or misplaced field would
   * otherwise land silently in additionalProperties (and be dropped or rejected by the API server).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void typedObjectsHaveNoUnknownFields(Rendered r) {
    List<String> unknown = new ArrayList<>();
    for (HasMetadata o : r.objects()) {
      if (!(o instanceof GenericKubernetesResource)) {
        unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown);
      }
    }
    assertThat(unknown).isEmpty();
  }

  private static void unknownFields(Object o, String path, List<String> unknown) {
    if (o instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (java.lang.reflect.Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object value = m.invoke(o);
        if (m.getName().equals("getAdditionalProperties")) {
          if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
            unknown.add(path + ": " + extra.keySet());
          }
        } else {
          unknownFields(value, path + "." + m.getName().substring(3), unknown);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void onlyTheDevOverlayGeneratesSecrets() throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(Repo.path("k8s"))) {
      List<String> generating =
          files
              .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
              .filter(f -> Repo.yaml(f).has("secretGenerator"))
              .map(f -> Repo.root().relativize(f).toString())
              .toList();
      assertThat(generating).containsExactly("k8s/overlays/dev/kustomization.yaml");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyConfigAndSecretReferenceResolves(Rendered r) {
    Map<String, Set<String>> secretKeys = new java.util.HashMap<>();
    for (Secret s : r.all(Secret.class)) {
      secretKeys.put(s.getMetadata().getName(), s.getData().keySet());
    }
    for (GenericKubernetesResource es : r.generic("ExternalSecret")) {
      Map<String, Object> spec = es.get("spec");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> data = (List<Map<String, Object>>) spec.get("data");
      secretKeys.put(
          es.get("spec", "target", "name"),
          data.stream()
              .map(d -> (String) d.get("secretKey"))
              .collect(java.util.stream.Collectors.toSet()));
    }
    boolean base = r.dir().equals("k8s/base");
    r.podTemplates()
        .forEach(
            (owner, template) -> {
              for (Container c : containers(template.getSpec())) {
                if (c.getEnvFrom() != null) {
                  c.getEnvFrom()
                      .forEach(
                          from ->
                              assertThat(r.configMap(from.getConfigMapRef().getName()))
                                  .as(owner)
                                  .isPresent());
                }
                for (EnvVar e : c.getEnv()) {
                  if (e.getValueFrom() == null) {
                    continue;
                  }
                  var cmRef = e.getValueFrom().getConfigMapKeyRef();
                  if (cmRef != null) {
                    assertThat(r.configMap(cmRef.getName()).orElseThrow().getData())
                        .as(owner + " " + e.getName())
                        .containsKey(cmRef.getKey());
                  }
                  var secretRef = e.getValueFrom().getSecretKeyRef();
                  // An optional key (e.g. secrets-old-keys, set only while rotating) may be absent.
                  if (secretRef != null && !base && !Boolean.TRUE.equals(secretRef.getOptional())) {
                    assertThat(secretKeys.get(secretRef.getName()))
                        .as(owner + " " + e.getName() + " -> " + secretRef.getName())
                        .isNotNull()
                        .contains(secretRef.getKey());
                  }
                }
              }
              var volumes = template.getSpec().getVolumes();
              if (volumes != null) {
                volumes.stream()
                    .filter(v -> v.getConfigMap() != null)
                    .forEach(
                        v ->
                            assertThat(r.configMap(v.getConfigMap().getName()))
                                .as(owner + " volume " + v.getName())
                                .isPresent());
                volumes.stream()
                    .filter(v -> v.getSecret() != null && !base)
                    .forEach(
                        v ->
                            assertThat(secretKeys.get(v.getSecret().getSecretName()))
                                .as(owner + " volume " + v.getName())
                                .isNotNull()
                                .containsAll(
                                    v.getSecret().getItems().stream()
                                        .map(io.fabric8.kubernetes.api.model.KeyToPath::getKey)
                                        .toList()));
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void onlySchedulerServiceIsGivenTheBroker(Rendered r) {
    for (String name : List.of("api-service", "runner-service", "scheduler-service")) {
      Set<String> env = new java.util.HashSet<>();
      for (Container c : containers(r.deployment(name).getSpec().getTemplate().getSpec())) {
        if (c.getEnvFrom() != null) {
          c.getEnvFrom()
              .forEach(
                  from ->
                      env.addAll(
                          r.configMap(from.getConfigMapRef().getName())
                              .orElseThrow()
                              .getData()
                              .keySet()));
        }
        c.getEnv().forEach(e -> env.add(e.getName()));
      }
      if (name.equals("scheduler-service")) {
        assertThat(env).as(name).contains("MINITOWER_KAFKA_BOOTSTRAP");
      } else {
        assertThat(env)
            .as(name + " has no Kafka client")
            .doesNotContain("MINITOWER_KAFKA_BOOTSTRAP");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void servicesNeverMigrateTheMigrationJobDoes(Rendered r) {
    ConfigMap config = r.configMap("minitower-config").orElseThrow();
    assertThat(config.getData()).containsEntry("MINITOWER_MIGRATE_AT_START", "false");
    Job job = r.find(Job.class, "minitower-migrate").orElseThrow();
    Container flyway = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(flyway.getArgs()).containsExactly("migrate");
    assertThat(flyway.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/flyway/sql"));
    ConfigMap sql = r.configMap("minitower-migrations").orElseThrow();
    assertThat(sql.getData().keySet()).allMatch(k -> k.matches("V\\d+__\\w+\\.sql"));
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("OnFailure");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void serviceMonitorsScrapeTheManagementPortOfEachService(Rendered r) {
    List<GenericKubernetesResource> monitors = r.generic("ServiceMonitor");
    assertThat(monitors)
        .extracting(m -> m.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    for (GenericKubernetesResource m : monitors) {
      Map<String, String> selector = m.get("spec", "selector", "matchLabels");
      List<Service> selected =
          r.all(Service.class).stream()
              .filter(s -> Rendered.selects(selector, s.getMetadata().getLabels()))
              .toList();
      assertThat(selected).as(m.getMetadata().getName()).hasSize(1);
      List<Map<String, Object>> endpoints = m.get("spec", "endpoints");
      assertThat(endpoints)
          .allSatisfy(
              e -> {
                assertThat(e).containsEntry("path", "/metrics").containsEntry("port", "management");
                assertThat(selected.get(0).getSpec().getPorts())
                    .extracting(ServicePort::getName)
                    .contains((String) e.get("port"));
              });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void networkPoliciesSelectPodsAndRunnersReachOnlyRunnerService(Rendered r) {
    var templates = r.podTemplates();
    for (NetworkPolicy np : r.all(NetworkPolicy.class)) {
      Map<String, String> selector = np.getSpec().getPodSelector().getMatchLabels();
      assertThat(templates.values())
          .as(np.getMetadata().getName() + " selects pods")
          .anyMatch(t -> Rendered.selects(selector, t.getMetadata().getLabels()));
    }
    NetworkPolicy runner = r.find(NetworkPolicy.class, "runner-agent").orElseThrow();
    assertThat(runner.getSpec().getPolicyTypes()).contains("Egress", "Ingress");
    assertThat(runner.getSpec().getIngress()).isEmpty();
    for (var rule : runner.getSpec().getEgress()) {
      boolean dns = rule.getPorts().stream().allMatch(p -> p.getPort().getIntVal() == 53);
      if (dns) {
        continue;
      }
      assertThat(rule.getTo())
          .as("runner egress other than DNS")
          .singleElement()
          .extracting(NetworkPolicyPeer::getPodSelector)
          .satisfies(
              s ->
                  assertThat(s.getMatchLabels())
                      .containsEntry("app.kubernetes.io/name", "runner-service"));
      assertThat(rule.getPorts())
          .singleElement()
          .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8081));
    }
    NetworkPolicy api = r.find(NetworkPolicy.class, "api-service").orElseThrow();
    assertThat(api.getSpec().getIngress())
        .flatExtracting(i -> i.getFrom())
        .anySatisfy(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "gateway-system"));
    // The gateway reaches only the public ports; Prometheus only the management ports.
    for (String name : SERVICES) {
      for (var rule : r.find(NetworkPolicy.class, name).orElseThrow().getSpec().getIngress()) {
        List<String> namespaces =
            rule.getFrom().stream()
                .filter(peer -> peer.getNamespaceSelector() != null)
                .map(
                    peer ->
                        peer.getNamespaceSelector()
                            .getMatchLabels()
                            .get("kubernetes.io/metadata.name"))
                .toList();
        List<String> ports = rule.getPorts().stream().map(p -> p.getPort().getStrVal()).toList();
        if (namespaces.contains("monitoring")) {
          assertThat(ports).as(name + " ingress from monitoring").containsExactly("management");
        }
        if (namespaces.contains("gateway-system")) {
          assertThat(ports).as(name + " ingress from the gateway").containsExactly("http");
        }
      }
    }
    for (String name : SERVICES) {
      NetworkPolicy np = r.find(NetworkPolicy.class, name).orElseThrow();
      List<Integer> egress =
          np.getSpec().getEgress().stream()
              .flatMap(e -> e.getPorts().stream())
              .map(p -> p.getPort().getIntVal())
              .toList();
      assertThat(egress).as(name + " reaches PostgreSQL").contains(5432);
      if (name.equals("scheduler-service")) {
        assertThat(egress).as(name + " reaches Kafka").contains(9092);
      } else {
        assertThat(egress).as(name + " has no Kafka client").doesNotContain(9092);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void podsRunAsNonRoot(Rendered r) {
    r.podTemplates()
        .forEach(
            (owner, template) -> {
              assertThat(template.getSpec().getSecurityContext().getRunAsNonRoot())
                  .as(owner)
                  .isTrue();
              for (Container c : containers(template.getSpec())) {
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                    .as(owner)
                    .isFalse();
              }
            });
  }

  @Test
  void overlaysPutEverythingInTheirNamespace() {
    for (var entry :
        Map.of("k8s/overlays/dev", "minitower-dev", "k8s/overlays/prod", "minitower").entrySet()) {
      Rendered r = Rendered.of(entry.getKey());
      for (HasMetadata o : r.objects()) {
        if (o.getKind().equals("Namespace")) {
          assertThat(o.getMetadata().getName()).isEqualTo(entry.getValue());
        } else {
          assertThat(o.getMetadata().getNamespace())
              .as(o.getKind() + "/" + o.getMetadata().getName())
              .isEqualTo(entry.getValue());
        }
      }
    }
  }

  @Test
  void devRunsPostgresAndKafkaThroughTheOperatorsAndProdUsesExternalOnes() {
    Rendered dev = Rendered.of("k8s/overlays/dev");
    assertThat(dev.generic("Cluster")).hasSize(1);
    assertThat(dev.generic("Kafka")).hasSize(1);
    assertThat(dev.generic("KafkaTopic"))
        .extracting(t -> t.getMetadata().getName())
        .containsExactlyInAnyOrder("minitower.run-events", "minitower.runner-events");
    assertThat(dev.configMap("minitower-config").orElseThrow().getData())
        .containsEntry("MINITOWER_DB_URL", "jdbc:postgresql://minitower-pg-rw:5432/minitower");
    assertThat(dev.configMap("minitower-kafka-config").orElseThrow().getData())
        .containsEntry("MINITOWER_KAFKA_BOOTSTRAP", "minitower-kafka-bootstrap:9092");
    assertThat(dev.find(Service.class, "minitower-postgres")).isEmpty();
    String credentials =
        dev.generic("Cluster").get(0).get("spec", "bootstrap", "initdb", "secret", "name");
    assertThat(dev.secret(credentials)).isPresent();

    Rendered prod = Rendered.of("k8s/overlays/prod");
    assertThat(prod.all(Secret.class)).isEmpty();
    assertThat(prod.generic("ExternalSecret")).hasSize(1);
    assertThat(prod.service("minitower-postgres").getSpec().getType()).isEqualTo("ExternalName");
    assertThat(prod.service("minitower-kafka").getSpec().getType()).isEqualTo("ExternalName");
    assertThat(
            prod.deployment("api-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .startsWith("registry.example.com/");
  }
}
