package dev.minitower.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small kustomize for machines without one (kubectl is not a Debian package; the Debian
 * kubernetes-client 1.20 embeds a kustomize too old for {@code labels}, {@code components} and
 * {@code patches}). It implements exactly the subset k8s/ uses and fails loudly on anything else:
 *
 * <ul>
 *   <li>{@code resources}: files (multi-document YAML) and directories holding a kustomization;
 *   <li>{@code components} ({@code kind: Component}: its resources, generators and patches apply to
 *       what the including kustomization has gathered);
 *   <li>{@code configMapGenerator} ({@code files}, {@code literals}) and {@code secretGenerator}
 *       ({@code literals}, {@code type}), both with {@code options.labels/annotations}, only with
 *       {@code generatorOptions.disableNameSuffixHash: true};
 *   <li>{@code patches} with a {@code path}: strategic merge by kind and name (maps merge, lists of
 *       named items merge by name, other lists are replaced, {@code null} deletes a key, {@code
 *       $patch: delete} deletes the object);
 *   <li>{@code labels} ({@code pairs}, {@code includeSelectors}, {@code includeTemplates}) with
 *       kustomize's field specs for the kinds used here;
 *   <li>{@code images} ({@code name}, {@code newName}, {@code newTag}) and {@code namespace}.
 * </ul>
 *
 * A test compares its output with the real kustomize wherever one is installed.
 */
final class SubsetKustomize {
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "components",
          "configMapGenerator",
          "secretGenerator",
          "generatorOptions",
          "patches",
          "labels",
          "images",
          "namespace");
  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "ClusterSecretStore",
          "PersistentVolume",
          "StorageClass");

  private SubsetKustomize() {}

  static List<ObjectNode> build(Path dir) {
    return build(dir, new ArrayList<>(), false);
  }

  private static List<ObjectNode> build(Path dir, List<ObjectNode> gathered, boolean component) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no kustomization.yaml in " + dir);
    }
    JsonNode k = Repo.yaml(file);
    k.fieldNames()
        .forEachRemaining(
            field -> {
              if (!KNOWN_FIELDS.contains(field)) {
                throw new UnsupportedOperationException(
                    file + ": field '" + field + "' is outside the subset");
              }
            });
    boolean isComponent = "Component".equals(k.path("kind").asText("Kustomization"));
    if (isComponent != component) {
      throw new IllegalArgumentException(file + ": kind does not fit how it is referenced");
    }
    List<ObjectNode> objects = component ? gathered : new ArrayList<>();
    for (JsonNode entry : k.path("resources")) {
      Path target = dir.resolve(entry.asText()).normalize();
      if (Files.isDirectory(target)) {
        objects.addAll(build(target, new ArrayList<>(), false));
      } else {
        objects.addAll(Repo.yamlDocuments(Repo.read(target)));
      }
    }
    boolean hasGenerators = k.has("configMapGenerator") || k.has("secretGenerator");
    if (hasGenerators && !k.path("generatorOptions").path("disableNameSuffixHash").asBoolean()) {
      throw new UnsupportedOperationException(
          file + ": generators need generatorOptions.disableNameSuffixHash: true in the subset");
    }
    for (JsonNode gen : k.path("configMapGenerator")) {
      objects.add(configMap(dir, gen));
    }
    for (JsonNode gen : k.path("secretGenerator")) {
      objects.add(secret(gen));
    }
    for (JsonNode entry : k.path("components")) {
      build(dir.resolve(entry.asText()).normalize(), objects, true);
    }
    for (JsonNode patch : k.path("patches")) {
      if (!patch.has("path") || patch.size() != 1) {
        throw new UnsupportedOperationException(file + ": only 'patches: - path: …' is supported");
      }
      for (ObjectNode doc :
          Repo.yamlDocuments(Repo.read(dir.resolve(patch.get("path").asText())))) {
        applyPatch(objects, doc, file);
      }
    }
    if (k.has("namespace")) {
      String ns = k.get("namespace").asText();
      for (ObjectNode o : objects) {
        if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
          ((ObjectNode) o.get("metadata")).put("namespace", ns);
        }
      }
    }
    for (JsonNode entry : k.path("labels")) {
      applyLabels(objects, entry);
    }
    for (JsonNode image : k.path("images")) {
      for (ObjectNode o : objects) {
        for (ObjectNode podSpec : podSpecs(o)) {
          for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : podSpec.path(list)) {
              retag((ObjectNode) c, image);
            }
          }
        }
      }
    }
    return objects;
  }

  private static ObjectNode configMap(Path dir, JsonNode gen) {
    ObjectNode cm = object("v1", "ConfigMap", gen.get("name").asText());
    ObjectNode data = cm.putObject("data");
    for (JsonNode f : gen.path("files")) {
      String spec = f.asText();
      int eq = spec.indexOf('=');
      String key = eq >= 0 ? spec.substring(0, eq) : Path.of(spec).getFileName().toString();
      String path = eq >= 0 ? spec.substring(eq + 1) : spec;
      data.put(key, Repo.read(dir.resolve(path)));
    }
    for (JsonNode l : gen.path("literals")) {
      String[] kv = l.asText().split("=", 2);
      data.put(kv[0], kv[1]);
    }
    generatorOptions(cm, gen);
    return cm;
  }

  private static ObjectNode secret(JsonNode gen) {
    if (gen.has("files") || gen.has("envs")) {
      throw new UnsupportedOperationException("secretGenerator: only literals in the subset");
    }
    ObjectNode s = object("v1", "Secret", gen.get("name").asText());
    s.put("type", gen.path("type").asText("Opaque"));
    ObjectNode data = s.putObject("data");
    for (JsonNode l : gen.path("literals")) {
      String[] kv = l.asText().split("=", 2);
      data.put(kv[0], Base64.getEncoder().encodeToString(kv[1].getBytes(StandardCharsets.UTF_8)));
    }
    generatorOptions(s, gen);
    return s;
  }

  /** A generator's own {@code options}: labels and annotations of the generated object. */
  private static void generatorOptions(ObjectNode generated, JsonNode gen) {
    JsonNode options = gen.path("options");
    options
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (!f.equals("labels") && !f.equals("annotations")) {
                throw new UnsupportedOperationException(
                    "generator option " + f + " is outside the subset");
              }
            });
    for (String field : List.of("labels", "annotations")) {
      if (options.has(field)) {
        ((ObjectNode) generated.get("metadata")).set(field, options.get(field).deepCopy());
      }
    }
  }

  private static ObjectNode object(String apiVersion, String kind, String name) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    o.putObject("metadata").put("name", name);
    return o;
  }

  private static void applyPatch(List<ObjectNode> objects, ObjectNode patch, Path file) {
    String kind = patch.path("kind").asText();
    String name = patch.path("metadata").path("name").asText();
    ObjectNode target = null;
    for (ObjectNode o : objects) {
      if (o.path("kind").asText().equals(kind)
          && o.path("metadata").path("name").asText().equals(name)) {
        if (target != null) {
          throw new IllegalStateException(file + ": patch matches several " + kind + "/" + name);
        }
        target = o;
      }
    }
    if (target == null) {
      throw new IllegalStateException(file + ": patch target " + kind + "/" + name + " not found");
    }
    if ("delete".equals(patch.path("$patch").asText())) {
      objects.remove(target);
      return;
    }
    merge(target, patch);
  }

  /** Strategic merge of {@code patch} into {@code target} (the subset described above). */
  static void merge(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      JsonNode current = target.get(key);
      if (key.startsWith("$")) {
        throw new UnsupportedOperationException("directive " + key + " is outside the subset");
      } else if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && current instanceof ObjectNode currentObject) {
        merge(currentObject, (ObjectNode) value);
      } else if (value.isArray() && current instanceof ArrayNode currentArray && named(value)) {
        for (JsonNode item : value) {
          ObjectNode match = null;
          for (JsonNode existing : currentArray) {
            if (existing.path("name").equals(item.get("name"))) {
              match = (ObjectNode) existing;
            }
          }
          if (match == null) {
            currentArray.add(item.deepCopy());
          } else {
            merge(match, (ObjectNode) item);
          }
        }
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static boolean named(JsonNode array) {
    if (array.isEmpty()) {
      return false;
    }
    for (JsonNode item : array) {
      if (!item.isObject() || !item.has("name")) {
        return false;
      }
    }
    return true;
  }

  private static void applyLabels(List<ObjectNode> objects, JsonNode entry) {
    boolean selectors = entry.path("includeSelectors").asBoolean(false);
    boolean templates = selectors || entry.path("includeTemplates").asBoolean(false);
    for (ObjectNode o : objects) {
      String kind = o.path("kind").asText();
      for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("pairs").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> pair = it.next();
        String key = pair.getKey();
        String value = pair.getValue().asText();
        child((ObjectNode) o.get("metadata"), "labels").put(key, value);
        if (templates && WORKLOADS.contains(kind)) {
          ObjectNode template = child(child(o, "spec"), "template");
          child(child(template, "metadata"), "labels").put(key, value);
        }
        if (!selectors) {
          continue;
        }
        switch (kind) {
          case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" ->
              child(child(child(o, "spec"), "selector"), "matchLabels").put(key, value);
          case "Service" -> child(child(o, "spec"), "selector").put(key, value);
          case "PodDisruptionBudget" -> {
            JsonNode matchLabels = o.path("spec").path("selector").path("matchLabels");
            if (matchLabels instanceof ObjectNode ml) {
              ml.put(key, value);
            }
          }
          case "Job",
              "ConfigMap",
              "Secret",
              "HorizontalPodAutoscaler",
              "ServiceMonitor",
              "PrometheusRule" -> {}
          default ->
              throw new UnsupportedOperationException(
                  "labels with includeSelectors on " + kind + " is outside the subset");
        }
      }
    }
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    if (existing instanceof ObjectNode object) {
      return object;
    }
    return parent.putObject(field);
  }

  private static List<ObjectNode> podSpecs(ObjectNode o) {
    List<ObjectNode> specs = new ArrayList<>();
    if (o.path("spec").path("template").path("spec") instanceof ObjectNode s) {
      specs.add(s);
    }
    if (o.path("spec").path("jobTemplate").path("spec").path("template").path("spec")
        instanceof ObjectNode s) {
      specs.add(s);
    }
    return specs;
  }

  private static void retag(ObjectNode container, JsonNode image) {
    String ref = container.path("image").asText();
    String name = ref;
    String tag = null;
    int at = ref.indexOf('@');
    int colon = ref.lastIndexOf(':');
    if (at >= 0) {
      throw new UnsupportedOperationException("digests are outside the subset: " + ref);
    }
    if (colon > ref.lastIndexOf('/')) {
      name = ref.substring(0, colon);
      tag = ref.substring(colon + 1);
    }
    if (!name.equals(image.path("name").asText())) {
      return;
    }
    if (image.has("newName")) {
      name = image.get("newName").asText();
    }
    if (image.has("newTag")) {
      tag = image.get("newTag").asText();
    }
    container.put("image", tag == null ? name : name + ":" + tag);
  }
}
