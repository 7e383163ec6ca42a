package dev.minitower.agent.exec;

import dev.minitower.agent.config.AgentConfig;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.logs.LogShipper;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.LeaseResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an unpacked artifact into the workload's command line: the entrypoint (the lease's, else
 * the artifact's) resolved inside the app, {@code /bin/sh} for {@code .sh}, the prepared
 * virtualenv's Python for {@code .py} (with the artifact's import paths), the workload environment,
 * the read-only mounts and the timeout.
 */
final class CommandBuilder {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

  /** What to launch, with what, for how long. */
  record Launch(
      List<String> command, Map<String, String> env, List<Path> readOnly, Duration timeout) {}

  private final AgentConfig config;
  private final PythonEnvironments pythons;
  private final AgentLog log;

  CommandBuilder(AgentConfig config, PythonEnvironments pythons, AgentLog log) {
    this.config = config;
    this.pythons = pythons;
    this.log = log;
  }

  /** The launch of the run in {@code ws}; a Python entrypoint prepares its environment first. */
  Launch build(LeaseState state, Workspace ws, ArtifactFetch.Artifact artifact, LogShipper shipper)
      throws SetupFailure, InterruptedException {
    LeaseResponse lease = state.lease();
    Map<String, String> setupEnv =
        WorkloadEnvironment.base(config.workloadPath(), ws.home(), ws.tmp(), config.passEnv());
    Map<String, String> env = new LinkedHashMap<>(setupEnv);
    WorkloadEnvironment.addRun(env, lease, w -> warn(lease, shipper, w));
    String entrypoint = lease.entrypoint() != null ? lease.entrypoint() : artifact.entrypoint();
    Path script = resolveInside(ws.app(), entrypoint);
    if (script == null || !Files.isRegularFile(script)) {
      throw new SetupFailure(
          "failed to start process: entrypoint " + entrypoint + " not found in the artifact",
          "entrypoint " + entrypoint + " not found in the artifact");
    }
    String lower = script.getFileName().toString().toLowerCase(Locale.ROOT);
    List<String> command;
    List<Path> readOnly = List.of();
    if (lower.endsWith(".sh")) {
      command = List.of("/bin/sh", script.toString());
    } else if (lower.endsWith(".py")) {
      PythonEnvironments.Ready python =
          pythons.prepare(ws, artifact.sha256(), setupEnv, state, shipper::stderr);
      Path venv = python.venv();
      readOnly = python.readOnlyMounts();
      List<Path> importPaths = new ArrayList<>();
      for (String p : artifact.importPaths()) {
        Path resolved = resolveInside(ws.app(), p);
        if (resolved == null) {
          warn(lease, shipper, "skipping import path outside the app: " + p);
        } else {
          importPaths.add(resolved);
        }
      }
      WorkloadEnvironment.addPython(env, venv, importPaths);
      command = List.of(venv.resolve("bin/python").toString(), "-u", script.toString());
    } else {
      throw new SetupFailure(
          "failed to start process: entrypoint must end in .py or .sh",
          "unsupported entrypoint " + entrypoint);
    }
    return new Launch(command, env, readOnly, timeoutOf(lease, artifact));
  }

  /** The run's timeout: the lease's, else the artifact's, else {@link #DEFAULT_TIMEOUT}. */
  static Duration timeoutOf(LeaseResponse lease, ArtifactFetch.Artifact artifact) {
    Integer seconds = lease.timeoutSeconds() != null ? lease.timeoutSeconds() : artifact.timeout();
    return seconds == null || seconds <= 0 ? DEFAULT_TIMEOUT : Duration.ofSeconds(seconds);
  }

  /**
   * {@code dir/<relative>} when it stays inside {@code dir} after normalisation; a leading {@code
   * /} is treated as relative (the original joins such paths under the workspace).
   */
  static Path resolveInside(Path dir, String relative) {
    if (relative == null || relative.isBlank()) {
      return null;
    }
    String r = relative;
    while (r.startsWith("/")) {
      r = r.substring(1);
    }
    Path resolved = dir.resolve(r).normalize();
    return resolved.startsWith(dir.normalize()) ? resolved : null;
  }

  private void warn(LeaseResponse lease, LogShipper shipper, String message) {
    log.warn(message, "run_id", lease.runId());
    shipper.stderr(message);
  }
}
