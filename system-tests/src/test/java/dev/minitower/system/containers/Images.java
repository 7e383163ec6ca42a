package dev.minitower.system.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The image names of the container tests: MTW_IMAGE_* variables, else the file images.env that
 * deploy/containers/images.sh writes into MTW_CT_DIR, else the compose file's names. With
 * MTW_CONTAINERS_BUILD=1 the images are (re)built first by images.sh from the jars this build has
 * just packaged (layers cached: only the changed jar layers are rebuilt).
 */
final class Images {
  static final Map<String, String> DEFAULTS =
      Map.of(
          "MTW_IMAGE_API", "minitower/api-service:0.1.0-SNAPSHOT",
          "MTW_IMAGE_RUNNER", "minitower/runner-service:0.1.0-SNAPSHOT",
          "MTW_IMAGE_SCHEDULER", "minitower/scheduler-service:0.1.0-SNAPSHOT",
          "MTW_IMAGE_AGENT", "minitower/runner-agent:0.1.0-SNAPSHOT",
          "MTW_IMAGE_POSTGRES", "postgres:16.9-bookworm",
          "MTW_IMAGE_KAFKA", "apache/kafka:4.0.0",
          "MTW_IMAGE_FLYWAY", "flyway/flyway:12.0.0");

  private final Map<String, String> names;

  private Images(Map<String, String> names) {
    this.names = names;
  }

  static Path ctDir() {
    String dir = System.getenv("MTW_CT_DIR");
    return Path.of(dir == null ? "/tmp/minitower-containers" : dir);
  }

  static Images resolve() throws IOException, InterruptedException {
    if ("1".equals(System.getenv("MTW_CONTAINERS_BUILD"))) {
      build();
    }
    Map<String, String> file = new HashMap<>();
    Path env = ctDir().resolve("images.env");
    if (Files.exists(env)) {
      for (String line : Files.readAllLines(env)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0 && eq < line.length() - 1) {
          file.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    Map<String, String> names = new HashMap<>();
    DEFAULTS.forEach(
        (k, v) -> {
          String e = System.getenv(k);
          names.put(k, e != null && !e.isBlank() ? e : file.getOrDefault(k, v));
        });
    Images images = new Images(names);
    images.requireProjectImages();
    return images;
  }

  /** The project's own images cannot be pulled: say how to build them instead of a pull error. */
  private void requireProjectImages() {
    for (String key :
        List.of("MTW_IMAGE_API", "MTW_IMAGE_RUNNER", "MTW_IMAGE_SCHEDULER", "MTW_IMAGE_AGENT")) {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(names.get(key)).exec();
      } catch (NotFoundException e) {
        throw new AssertionError(
            "image "
                + names.get(key)
                + " not found: build the images with ./mtw images (or set MTW_CONTAINERS_BUILD=1)",
            e);
      }
    }
  }

  private static void build() throws IOException, InterruptedException {
    Path log = Files.createTempFile("images", ".log");
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(
                List.of(
                    Stack.root().resolve("deploy/containers/images.sh").toString(), "--skip-jars"))
            .directory(Stack.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertThat(done && p.exitValue() == 0)
        .as("deploy/containers/images.sh failed:\n%s", tail(out, 60))
        .isTrue();
    System.out.printf(
        "[containers] images built in %d s:%n%s%n", (System.nanoTime() - t0) / 1_000_000_000, out);
  }

  static String tail(String text, int lines) {
    String[] all = text.split("\n");
    return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
  }

  String get(String key) {
    return names.get(key);
  }
}
