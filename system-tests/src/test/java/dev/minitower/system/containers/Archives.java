package dev.minitower.system.containers;

import dev.minitower.system.faults.Tar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** An app directory as the .tar.gz that `minitower deploy` uploads (regular files, sorted). */
final class Archives {
  private Archives() {}

  static byte[] tarGz(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.toString().contains("__pycache__"))
              .sorted()
              .collect(Collectors.toList());
    }
    if (files.isEmpty()) {
      throw new IOException("no files to deploy in " + dir);
    }
    return Tar.gz(
        t -> {
          for (Path f : files) {
            t.file(
                dir.relativize(f).toString().replace('\\', '/'),
                Files.readString(f, StandardCharsets.UTF_8));
          }
        });
  }
}
