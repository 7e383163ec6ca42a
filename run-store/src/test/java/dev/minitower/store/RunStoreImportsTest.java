package dev.minitower.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * run-store knows no HTTP: it throws its own exceptions and platform maps them. Its sources import
 * no JAX-RS or Vert.x type and nothing of platform (docs/architecture.md, "what each module may
 * touch").
 */
class RunStoreImportsTest {
  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "^import (static )?(jakarta\\.ws\\.rs|io\\.vertx|dev\\.minitower\\.platform)\\.");

  @Test
  void mainSourcesImportNoHttpOrPlatformType() throws IOException {
    Path main = Path.of("src/main/java");
    assertThat(main).isDirectory();
    List<String> offending;
    try (Stream<Path> files = Files.walk(main)) {
      offending =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .flatMap(
                  p -> {
                    try {
                      return Files.readAllLines(p).stream()
                          .filter(l -> FORBIDDEN.matcher(l).find())
                          .map(l -> main.relativize(p) + ": " + l);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(offending).isEmpty();
  }
}
