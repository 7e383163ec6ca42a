package dev.minitower.agent.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * What one sandboxed command may see besides the read-only system and its private {@code /tmp}: its
 * working directory, the directories it may write and extra read-only directories (a cached
 * virtualenv, the interpreter's prefix), each shown at its host path.
 */
public record Confinement(Path cwd, List<Path> writable, List<Path> readOnly) {
  public Confinement {
    writable = List.copyOf(writable);
    readOnly = List.copyOf(readOnly);
  }
}
