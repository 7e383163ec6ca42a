package dev.minitower.agent.exec;

import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.LeaseResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Artifacts already downloaded, by SHA-256, in the agent's private data dir ({@code artifacts/},
 * 0700; never mounted into a sandbox). A run whose lease names its artifact's digest and entrypoint
 * (servers of this repo) starts from the cached copy: no download, no database round trip. Only
 * artifacts whose digest the agent verified itself are kept; at most {@link #MAX_FILES} files and
 * {@link #MAX_BYTES} bytes, the least recently used go first.
 */
final class ArtifactCache {
  static final int MAX_FILES = 64;
  static final long MAX_BYTES = 2L << 30;
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final AgentLog log;

  ArtifactCache(Path dir, AgentLog log) {
    this.dir = dir;
    this.log = log;
  }

  /** Copies the cached artifact of this lease to {@code target}; null when there is none. */
  ArtifactFetch.Artifact take(LeaseResponse lease, Path target) {
    String sha = lease.artifactSha256();
    if (sha == null || !SHA.matcher(sha).matches() || lease.entrypoint() == null) {
      return null;
    }
    Path file = dir.resolve(sha + ".tar.gz");
    try {
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      return null;
    }
    List<String> importPaths = lease.importPaths() == null ? List.of() : lease.importPaths();
    return new ArtifactFetch.Artifact(sha, null, importPaths, null);
  }

  /** Keeps a verified artifact ({@code sha} is the digest the agent computed). */
  void keep(String sha, Path verified) {
    if (!SHA.matcher(sha).matches()) {
      return;
    }
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path file = dir.resolve(sha + ".tar.gz");
      if (Files.exists(file)) {
        return;
      }
      Path tmp = Files.createTempFile(dir, sha, ".part");
      Files.copy(verified, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
    } catch (IOException e) {
      log.warn("could not cache the artifact", "sha256", sha, "error", e.toString());
    }
  }

  private void prune() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".tar.gz"))
              .sorted(Comparator.comparing(ArtifactCache::mtime).reversed())
              .toList();
    }
    long bytes = 0;
    for (int i = 0; i < files.size(); i++) {
      bytes += Files.size(files.get(i));
      if (i >= MAX_FILES || bytes > MAX_BYTES) {
        Files.deleteIfExists(files.get(i));
      }
    }
  }

  private static long mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
