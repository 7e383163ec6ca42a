package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fallback renderer gives what the real kustomize gives, wherever a real one is installed. */
class SubsetKustomizeTest {

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
  void subsetRendersLikeKustomize(String dir) {
    assumeTrue(Kustomize.real().isPresent(), "no kustomize installed");
    Map<String, JsonNode> real =
        byId(Repo.yamlDocuments(Kustomize.run(Kustomize.real().get(), Repo.path(dir))));
    Map<String, JsonNode> subset = byId(SubsetKustomize.build(Repo.path(dir)));
    assertThat(subset.keySet()).containsExactlyElementsOf(real.keySet());
    for (String id : real.keySet()) {
      assertThat(subset.get(id)).as(id).isEqualTo(real.get(id));
    }
  }

  private static Map<String, JsonNode> byId(List<ObjectNode> objects) {
    Map<String, JsonNode> byId = new TreeMap<>();
    for (ObjectNode o : objects) {
      JsonNode meta = o.get("metadata");
      byId.put(
          o.get("kind").asText()
              + "/"
              + meta.path("namespace").asText("")
              + "/"
              + meta.get("name").asText(),
          o);
    }
    return byId;
  }
}
