package dev.minitower.agent.exec;

import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.observability.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Virtual environments cached by {@code sha256(requirements.txt + interpreter version)}, so the
 * next run of the same app version starts without creating a venv or installing anything.
 *
 * <p>Layout under {@code <data dir>/venvs}: {@code builds/<key>-<nonce>/} holds a venv, and the
 * symlink {@code <key> -> builds/<key>-<nonce>} publishes it. A venv is built in its own fresh
 * directory and published by atomically renaming a new symlink over {@code <key>}; the venv itself
 * is never moved, because venvs are not relocatable (pip writes absolute paths into scripts). A
 * crash mid-build leaves only an unpublished build directory, removed at the next start. Within the
 * agent one lock per key makes concurrent runs of the same app wait for one build instead of doing
 * it twice; the data-dir lock keeps other agents out.
 */
public final class PythonEnvironments {
  private final Path root;
  private final Path builds;
  private final String pythonBin;
  private final CommandRunner commands;
  private final AgentLog log;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private volatile String interpreterIdentity;

  public PythonEnvironments(Path dataDir, String pythonBin, CommandRunner commands, AgentLog log)
      throws IOException {
    this.root = dataDir.resolve("venvs");
    this.builds = root.resolve("builds");
    this.pythonBin = pythonBin;
    this.commands = commands;
    this.log = log;
    Files.createDirectories(builds);
    removeUnpublishedBuilds();
  }

  /**
   * Returns the venv for {@code appDir} (its real, stable path), building and publishing it if
   * needed. Setup messages and command output go to {@code setupLog}.
   */
  public Path prepare(
      Path appDir, Map<String, String> env, LeaseState lease, Consumer<String> setupLog)
      throws SetupFailure, InterruptedException {
    Path requirements = appDir.resolve("requirements.txt");
    boolean hasRequirements = Files.isRegularFile(requirements);
    String key = cacheKey(hasRequirements ? requirements : null, env);
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Path published = root.resolve(key);
      Path ready = readyTarget(published);
      if (ready != null) {
        setupLog.accept("using cached Python environment " + key.substring(0, 12));
        return ready;
      }
      Path build = builds.resolve(key + "-" + UUID.randomUUID().toString().substring(0, 8));
      boolean ok = false;
      try {
        setupLog.accept("using Python interpreter at: " + pythonBin);
        setupLog.accept("creating virtual environment (cache key " + key.substring(0, 12) + ")");
        // Without requirements nothing needs pip: skipping it makes the venv ~50x faster to build.
        List<String> venvCommand =
            hasRequirements
                ? List.of(pythonBin, "-m", "venv", build.toString())
                : List.of(pythonBin, "-m", "venv", "--without-pip", build.toString());
        CommandRunner.Outcome venv = run(venvCommand, env, appDir, lease, setupLog);
        if (lease.stopRequested() || venv.exitCode() != 0) {
          throw new SetupFailure(
              "failed to create venv: " + venv.describe(),
              "virtual environment creation failed: " + venv.describe());
        }
        if (hasRequirements) {
          setupLog.accept("installing dependencies from requirements.txt");
          CommandRunner.Outcome pip =
              run(
                  List.of(
                      build.resolve("bin/python").toString(),
                      "-m",
                      "pip",
                      "install",
                      "--disable-pip-version-check",
                      "-r",
                      requirements.toString()),
                  env,
                  appDir,
                  lease,
                  setupLog);
          if (lease.stopRequested() || pip.exitCode() != 0) {
            throw new SetupFailure(
                "failed to install requirements: " + pip.describe(),
                "dependency installation failed: " + pip.describe());
          }
        }
        publish(key, build);
        ok = true;
        log.info("python environment cached", "key", key);
        return build;
      } finally {
        if (!ok) {
          deleteTree(build);
        }
      }
    }
  }

  private CommandRunner.Outcome run(
      List<String> command,
      Map<String, String> env,
      Path cwd,
      LeaseState lease,
      Consumer<String> setupLog)
      throws SetupFailure, InterruptedException {
    try {
      return commands.run(command, env, cwd, lease, setupLog);
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to create venv: " + e.getMessage(),
          "virtual environment creation failed: " + e.getMessage());
    }
  }

  private Path readyTarget(Path published) {
    if (!Files.isSymbolicLink(published)) {
      return null;
    }
    try {
      Path target = published.toRealPath();
      return Files.isExecutable(target.resolve("bin/python")) ? target : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void publish(String key, Path build) throws SetupFailure {
    Path link = root.resolve("." + key + "." + UUID.randomUUID() + ".link");
    try {
      Files.createSymbolicLink(link, root.relativize(build));
      Files.move(
          link,
          root.resolve(key),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(link);
      } catch (IOException ignored) {
        // best effort
      }
      throw new SetupFailure(
          "failed to create venv: cannot publish environment: " + e.getMessage(),
          "virtual environment creation failed: " + e.getMessage());
    }
  }

  String cacheKey(Path requirements, Map<String, String> env) throws SetupFailure {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(interpreterIdentity(env).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      if (requirements != null) {
        sha.update((byte) 'R');
        sha.update(Files.readAllBytes(requirements));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to install requirements: cannot read requirements.txt: " + e.getMessage(),
          "dependency installation failed: " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Version and real executable of the configured interpreter, asked once. */
  private String interpreterIdentity(Map<String, String> env) throws SetupFailure {
    String identity = interpreterIdentity;
    if (identity != null) {
      return identity;
    }
    ProcessBuilder pb =
        new ProcessBuilder(pythonBin, "-c", "import sys; print(sys.version); print(sys.executable)")
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new SetupFailure(
            "failed to create venv: " + pythonBin + " does not run: " + out.strip(),
            "virtual environment creation failed: " + out.strip());
      }
      interpreterIdentity = pythonBin + "\n" + out.strip();
      return interpreterIdentity;
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to create venv: " + e.getMessage(),
          "virtual environment creation failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupFailure(
          "failed to create venv: interrupted", "virtual environment creation failed: interrupted");
    }
  }

  /** Deletes build directories no published symlink points to (left by a crash mid-build). */
  private void removeUnpublishedBuilds() throws IOException {
    Set<Path> referenced = new HashSet<>();
    try (Stream<Path> entries = Files.list(root)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (Files.isSymbolicLink(p)) {
          if (p.getFileName().toString().startsWith(".")) {
            Files.deleteIfExists(p);
          } else {
            try {
              referenced.add(p.toRealPath());
            } catch (IOException e) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
    }
    try (Stream<Path> entries = Files.list(builds)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!referenced.contains(p.toRealPath())) {
          deleteTree(p);
        }
      }
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a later start cleans up again
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
