package dev.minitower.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * One attempt's private directory under {@code <data dir>/runs} (mode 0700): {@code
 * artifact.tar.gz}, {@code app/} (the extracted artifact, the working directory), {@code home/}
 * ({@code HOME}) and {@code tmp/} ({@code TMPDIR}). Removed when the attempt ends.
 */
public record Workspace(Path root) {

  public static Workspace create(Path runsDir, long runId, int attemptNo) throws IOException {
    Files.createDirectories(runsDir);
    Files.setPosixFilePermissions(runsDir, PosixFilePermissions.fromString("rwx------"));
    Path root =
        Files.createTempDirectory(
            runsDir,
            "run-" + runId + "-a" + attemptNo + "-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Workspace ws = new Workspace(root);
    Files.createDirectory(ws.app());
    Files.createDirectory(ws.home());
    Files.createDirectory(ws.tmp());
    return ws;
  }

  public Path artifact() {
    return root.resolve("artifact.tar.gz");
  }

  public Path app() {
    return root.resolve("app");
  }

  public Path home() {
    return root.resolve("home");
  }

  public Path tmp() {
    return root.resolve("tmp");
  }

  public void delete() {
    PythonEnvironments.deleteTree(root);
  }

  /** Removes workspaces left behind by a previous agent process (crash, SIGKILL). */
  public static void removeAll(Path runsDir) throws IOException {
    if (!Files.isDirectory(runsDir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(runsDir)) {
      entries.forEach(PythonEnvironments::deleteTree);
    }
  }
}
