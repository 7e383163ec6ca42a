package dev.minitower.agent.exec;

import dev.minitower.model.artifact.ArchiveLimits;
import dev.minitower.model.artifact.SafeExtractor;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The shared safe extractor: no {@code ..} or absolute entries, no links leaving the directory, no
 * devices or FIFOs, size and entry-count limits (the original used the system {@code tar}).
 */
public final class SafeArchiveExtractor implements ArtifactExtractor {
  @Override
  public void extract(InputStream tarGz, Path destDir) throws Exception {
    SafeExtractor.extract(tarGz, destDir, ArchiveLimits.defaults());
  }
}
