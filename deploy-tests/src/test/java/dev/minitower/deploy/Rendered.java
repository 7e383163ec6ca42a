package dev.minitower.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendered kustomization, with typed look-ups. */
record Rendered(String dir, List<HasMetadata> objects) {

  private static final Map<String, Rendered> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** The rendering of a kustomization directory, rendered once per test run. */
  static Rendered of(String dir) {
    return CACHE.computeIfAbsent(dir, d -> new Rendered(d, Kustomize.renderTyped(d)));
  }

  @Override
  public String toString() {
    return dir;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<GenericKubernetesResource> generic(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(r -> kind.equals(r.getKind()))
        .toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }

  Deployment deployment(String name) {
    return find(Deployment.class, name).orElseThrow(() -> new AssertionError(dir + ": no " + name));
  }

  Service service(String name) {
    return find(Service.class, name).orElseThrow(() -> new AssertionError(dir + ": no " + name));
  }

  Optional<ConfigMap> configMap(String name) {
    return find(ConfigMap.class, name);
  }

  Optional<Secret> secret(String name) {
    return find(Secret.class, name);
  }

  /** Pod templates by owner ("Deployment/api-service", "Job/minitower-migrate"). */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    for (Deployment d : all(Deployment.class)) {
      templates.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate());
    }
    for (Job j : all(Job.class)) {
      templates.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate());
    }
    return templates;
  }

  /**
   * Whether every key=value of the selector is among the labels (an empty selector matches all).
   */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return labels != null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
