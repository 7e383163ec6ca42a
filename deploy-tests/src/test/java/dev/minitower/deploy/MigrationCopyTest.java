package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The migration Job's SQL is a copy (kustomize loads nothing outside k8s/): it must be exactly the
 * Flyway migrations of shared-model, all of them, and the Flyway image must be the version the
 * services embed.
 */
class MigrationCopyTest {

  @Test
  void jobMigrationsAreExactlyTheSharedModelOnes() throws IOException {
    Path source = Repo.path("shared-model/src/main/resources/db/migration");
    Path copy = Repo.path("k8s/base/migration/sql");
    List<String> names = names(source);
    assertThat(names).isNotEmpty();
    assertThat(names(copy)).containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(Files.readString(copy.resolve(name)))
          .as(name)
          .isEqualTo(Files.readString(source.resolve(name)));
    }
    JsonNode k = Repo.yaml(Repo.path("k8s/base/migration/kustomization.yaml"));
    List<String> listed = new ArrayList<>();
    k.get("configMapGenerator").get(0).get("files").forEach(f -> listed.add(f.asText()));
    assertThat(listed).containsExactlyElementsOf(names.stream().map(n -> "sql/" + n).toList());
  }

  @Test
  void composeAndJobUseTheSameFlywayImage() {
    String job = Repo.read(Repo.path("k8s/base/migration/job.yaml"));
    String compose = Repo.read(Repo.path("docker-compose.yml"));
    String image =
        job.lines()
            .filter(l -> l.contains("image: flyway/flyway:"))
            .findFirst()
            .orElseThrow()
            .strip();
    assertThat(compose).contains(image);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .sorted()
          .toList();
    }
  }
}
