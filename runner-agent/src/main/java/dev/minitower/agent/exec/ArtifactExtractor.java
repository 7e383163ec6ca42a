package dev.minitower.agent.exec;

import java.io.InputStream;
import java.nio.file.Path;

/** Unpacks a run artifact ({@code .tar.gz}) into an empty directory. */
@FunctionalInterface
public interface ArtifactExtractor {
  /** Throws with a human-readable message when the archive is unsafe or unreadable. */
  void extract(InputStream tarGz, Path destDir) throws Exception;
}
