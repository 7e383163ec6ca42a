package dev.minitower.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization: with the real kustomize when one is installed ({@code kustomize} or
 * {@code kubectl kustomize}, version 5 or later), else with {@link SubsetKustomize}. {@code
 * -Dminitower.kustomize=subset} forces the subset.
 */
final class Kustomize {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Optional<List<String>> REAL = findReal();

  private Kustomize() {}

  /** The rendered objects of a kustomization directory (relative to the repository root). */
  static List<ObjectNode> render(String dir) {
    Path path = Repo.path(dir);
    if (REAL.isPresent() && !"subset".equals(System.getProperty("minitower.kustomize"))) {
      System.out.println("kustomize: " + String.join(" ", REAL.get()) + " " + dir);
      return Repo.yamlDocuments(run(REAL.get(), path));
    }
    System.out.println("kustomize: built-in subset renderer " + dir);
    return SubsetKustomize.build(path);
  }

  /** The same, as typed fabric8 objects (kinds without a model become generic resources). */
  static List<HasMetadata> renderTyped(String dir) {
    return render(dir).stream().map(Kustomize::typed).toList();
  }

  static HasMetadata typed(ObjectNode object) {
    return SERIALIZATION.unmarshal(object.toString(), HasMetadata.class);
  }

  /** The command of the real kustomize, if one is installed. */
  static Optional<List<String>> real() {
    return REAL;
  }

  static String run(List<String> command, Path dir) {
    var cmd = new java.util.ArrayList<>(command);
    cmd.add(dir.toString());
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + err);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Optional<List<String>> findReal() {
    for (List<String> candidate :
        List.of(List.of("kustomize", "build"), List.of("kubectl", "kustomize"))) {
      try {
        List<String> version =
            candidate.get(0).equals("kustomize")
                ? List.of("kustomize", "version")
                : List.of("kubectl", "version", "--client");
        Process p = new ProcessBuilder(version).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor(30, TimeUnit.SECONDS)
            && p.exitValue() == 0
            && out.matches("(?s).*(Kustomize Version: |^)v?[5-9]\\..*")) {
          return Optional.of(candidate);
        }
      } catch (IOException e) {
        // not installed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Optional.empty();
  }
}
