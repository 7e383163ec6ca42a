package dev.minitower.agent.exec;

import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
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
  private final Sandbox sandbox;
  private final AgentLog log;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private volatile Interpreter interpreter;

  /** A ready environment and what a sandbox must show read-only for it to work. */
  public record Ready(Path venv, List<Path> readOnlyMounts) {}

  /** What the configured interpreter told about itself. */
  private record Interpreter(String identity, Path executable, Path basePrefix) {}

  public PythonEnvironments(
      Path dataDir, String pythonBin, CommandRunner commands, Sandbox sandbox, AgentLog log)
      throws IOException {
    this.root = dataDir.resolve("venvs");
    this.builds = root.resolve("builds");
    this.pythonBin = pythonBin;
    this.commands = commands;
    this.sandbox = sandbox;
    this.log = log;
    Files.createDirectories(builds);
    Files.setPosixFilePermissions(
        root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    removeUnpublishedBuilds();
  }

  /**
   * Returns the venv for the workspace's app (its real, stable path), building and publishing it if
   * needed. The build runs sandboxed like a workload (its own build directory writable, the app
   * read-only); once published, the venv belongs to the agent and workloads only see it read-only.
   * Setup messages and command output go to {@code setupLog}.
   */
  public Ready prepare(
      Workspace ws,
      String artifactSha256,
      Map<String, String> env,
      LeaseState lease,
      Consumer<String> setupLog)
      throws SetupFailure, InterruptedException {
    Path appDir = ws.app();
    Path requirements = appDir.resolve("requirements.txt");
    boolean hasRequirements = Files.isRegularFile(requirements);
    Interpreter python = interpreter(env);
    String key = cacheKey(hasRequirements ? requirements : null, python);
    if (hasRequirements && refersToLocalFiles(requirements)) {
      // Same requirements text, other files behind "./pkg": never share such an environment
      // between artifacts (another team's app could otherwise import what this one built).
      key = Sha256.hex(key + "\n" + artifactSha256);
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Path published = root.resolve(key);
      Path ready = readyTarget(published);
      if (ready != null) {
        setupLog.accept("using cached Python environment " + key.substring(0, 12));
        return new Ready(ready, mountsFor(ready, python));
      }
      Path build = builds.resolve(key + "-" + UUID.randomUUID().toString().substring(0, 8));
      boolean ok = false;
      try {
        setupLog.accept("using Python interpreter at: " + pythonBin);
        setupLog.accept("creating virtual environment (cache key " + key.substring(0, 12) + ")");
        try {
          Files.createDirectory(build);
          sandbox.handOver(build);
        } catch (IOException e) {
          throw new SetupFailure(
              "failed to create venv: " + e.getMessage(),
              "virtual environment creation failed: " + e.getMessage());
        }
        List<Path> buildReadOnly = new ArrayList<>(mountsFor(null, python));
        buildReadOnly.add(appDir);
        Confinement confinement =
            new Confinement(appDir, List.of(build, ws.home(), ws.tmp()), buildReadOnly);
        String exe = python.executable().toString();
        // Without requirements nothing needs pip: skipping it makes the venv ~50x faster to build.
        List<String> venvCommand =
            hasRequirements
                ? List.of(exe, "-I", "-m", "venv", build.toString())
                : List.of(exe, "-I", "-m", "venv", "--without-pip", build.toString());
        CommandRunner.Outcome venv = run(venvCommand, env, confinement, lease, setupLog);
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
                      "-I",
                      "-m",
                      "pip",
                      "install",
                      "--disable-pip-version-check",
                      "-r",
                      requirements.toString()),
                  env,
                  confinement,
                  lease,
                  setupLog);
          if (lease.stopRequested() || pip.exitCode() != 0) {
            throw new SetupFailure(
                "failed to install requirements: " + pip.describe(),
                "dependency installation failed: " + pip.describe());
          }
        }
        try {
          sandbox.takeBack(build);
        } catch (IOException e) {
          throw new SetupFailure(
              "failed to create venv: " + e.getMessage(),
              "virtual environment creation failed: " + e.getMessage());
        }
        publish(key, build);
        ok = true;
        log.info("python environment cached", "key", key);
        return new Ready(build, mountsFor(build, python));
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
      Confinement confinement,
      LeaseState lease,
      Consumer<String> setupLog)
      throws SetupFailure, InterruptedException {
    try {
      return commands.run(command, env, confinement, lease, setupLog);
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

  /** A line that installs from a path or file URL rather than from an index. */
  static boolean refersToLocalFiles(Path requirements) throws SetupFailure {
    try {
      for (String raw : Files.readAllLines(requirements, StandardCharsets.UTF_8)) {
        String line = raw.strip();
        if (line.startsWith("-e") || line.startsWith("--editable")) {
          line = line.replaceFirst("^(-e|--editable)\\s*=?\\s*", "");
        }
        if (line.startsWith(".")
            || line.startsWith("/")
            || line.startsWith("~")
            || line.startsWith("file:")
            || line.contains(" @ file:")
            || line.startsWith("-r")
            || line.startsWith("-c")
            || line.startsWith("--requirement")
            || line.startsWith("--constraint")
            || line.startsWith("-f")
            || line.startsWith("--find-links")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to install requirements: cannot read requirements.txt: " + e.getMessage(),
          "dependency installation failed: " + e.getMessage());
    }
  }

  /**
   * The venv (when known) and the interpreter's installation, unless the sandbox shows it anyway
   * (everything under {@code /usr}).
   */
  private static List<Path> mountsFor(Path venv, Interpreter python) {
    List<Path> mounts = new ArrayList<>();
    if (venv != null) {
      mounts.add(venv);
    }
    Path prefix = python.basePrefix();
    if (prefix != null && prefix.getNameCount() > 0 && !prefix.startsWith("/usr")) {
      mounts.add(prefix);
    }
    return mounts;
  }

  String cacheKey(Path requirements, Map<String, String> env) throws SetupFailure {
    return cacheKey(requirements, interpreter(env));
  }

  private String cacheKey(Path requirements, Interpreter python) throws SetupFailure {
    try {
      MessageDigest sha = Sha256.newDigest();
      sha.update(python.identity().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      if (requirements != null) {
        sha.update((byte) 'R');
        sha.update(Files.readAllBytes(requirements));
      }
      return Sha256.hex(sha);
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to install requirements: cannot read requirements.txt: " + e.getMessage(),
          "dependency installation failed: " + e.getMessage());
    }
  }

  /**
   * Version, real executable and installation prefix of the configured interpreter, asked once
   * (outside any sandbox: it is the operator's interpreter, possibly a shim found on the agent's
   * {@code PATH}).
   */
  private Interpreter interpreter(Map<String, String> env) throws SetupFailure {
    Interpreter known = interpreter;
    if (known != null) {
      return known;
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                pythonBin,
                "-I",
                "-c",
                "import sys; print(sys.version.replace(chr(10), ' ')); print(sys.executable);"
                    + " print(sys.base_prefix)")
            .redirectErrorStream(true);
    // The operator's interpreter, run as the agent: only what finds it (PATH, and HOME/PYENV_* for
    // shims), never anything a run chose.
    pb.environment().clear();
    pb.environment().put("PATH", env.getOrDefault("PATH", AgentPaths.SYSTEM_PATH));
    pb.environment().put("LANG", "C.UTF-8");
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.equals("HOME") || k.startsWith("PYENV_")) {
                pb.environment().put(k, v);
              }
            });
    pb.directory(root.toFile());
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new SetupFailure(
            "failed to create venv: " + pythonBin + " does not run: " + out.strip(),
            "virtual environment creation failed: " + out.strip());
      }
      List<String> lines = out.strip().lines().toList();
      if (lines.size() < 3) {
        throw new SetupFailure(
            "failed to create venv: " + pythonBin + " answered: " + out.strip(),
            "virtual environment creation failed: " + out.strip());
      }
      int n = lines.size();
      String version = lines.get(n - 3);
      Path executable = Path.of(lines.get(n - 2)).toRealPath();
      Path prefix = Path.of(lines.get(n - 1)).toRealPath();
      known =
          new Interpreter(pythonBin + "\n" + version + "\n" + lines.get(n - 2), executable, prefix);
      interpreter = known;
      return known;
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
