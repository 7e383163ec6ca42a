package dev.minitower.agent.exec;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.config.AgentConfig;
import dev.minitower.agent.lease.LeaseKeeper;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.lease.StopReason;
import dev.minitower.agent.logs.LogShipper;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.AttemptView;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.model.wire.WireText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Executes one leased attempt: start, download and verify the artifact, extract it safely, prepare
 * the interpreter, run the workload in its own process group, ship its logs, report the result.
 * Every server call that fails transiently is retried for as long as the lease is held; a 409/410
 * anywhere means the lease is lost, which kills the workload and reports nothing.
 */
public final class RunExecutor {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
  static final long MAX_ARTIFACT_BYTES = 1L << 30;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration LIMIT_SAMPLE = Duration.ofMillis(250);

  private final AgentConfig config;
  private final RunnerClient client;
  private final LeaseKeeper keeper;
  private final ProcessLauncher launcher;
  private final PythonEnvironments pythons;
  private final CommandRunner commands;
  private final ArtifactExtractor extractor;
  private final AgentLog log;

  public RunExecutor(
      AgentConfig config,
      RunnerClient client,
      LeaseKeeper keeper,
      ProcessLauncher launcher,
      CommandRunner commands,
      PythonEnvironments pythons,
      ArtifactExtractor extractor,
      AgentLog log) {
    this.extractor = extractor;
    this.config = config;
    this.client = client;
    this.keeper = keeper;
    this.launcher = launcher;
    this.commands = commands;
    this.pythons = pythons;
    this.log = log;
  }

  public Path runsDir() {
    return config.dataDir().resolve("runs");
  }

  /** Runs the attempt to its end; {@code state} is already renewed from the lease answer. */
  public void execute(LeaseState state) {
    LeaseResponse lease = state.lease();
    log.info(
        "leased run",
        "run_id",
        lease.runId(),
        "run_no",
        lease.runNo(),
        "app",
        lease.appSlug(),
        "version",
        lease.versionNo(),
        "attempt",
        lease.attemptNo());
    keeper.track(state);
    try {
      // A batch lease with start=true answers runs that are already running.
      if (!Boolean.TRUE.equals(lease.started()) && !start(state)) {
        return;
      }
      if (state.stopReason() == StopReason.CANCEL_REQUESTED) {
        log.info("run cancelled", "run_id", lease.runId(), "when", "before start");
        submitResult(state, RunOutcome.cancelled(null), List.of());
        return;
      }
      LogShipper shipper = new LogShipper(client, state, log);
      try {
        RunOutcome outcome = prepareAndRun(state, shipper);
        finish(state, shipper, outcome);
      } finally {
        shipper.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("run abandoned: agent stopped", "run_id", lease.runId());
    } finally {
      keeper.untrack(state);
    }
  }

  /** {@code POST /runs/{id}/start}, retried while the lease holds; false = lease lost. */
  private boolean start(LeaseState state) throws InterruptedException {
    Duration backoff = Duration.ofMillis(200);
    while (!state.lostOrExpired()) {
      long sentAt = System.nanoTime();
      Reply reply = client.start(state.runId(), state.leaseToken());
      if (reply.ok()) {
        try {
          AttemptView view = RunnerClient.JSON.readValue(reply.body(), AttemptView.class);
          keeper.applyAttempt(state, view, reply, sentAt);
        } catch (IOException e) {
          log.warn("start answer unreadable", "run_id", state.runId());
        }
        return true;
      }
      if (reply.leaseLost()) {
        log.warn("stale lease on start", "run_id", state.runId(), "status", reply.status());
        state.lose("start answered " + reply.status());
        return false;
      }
      if (!reply.transientFailure()) {
        log.error("start failed", "run_id", state.runId(), "error", reply.describe());
        state.lose("start rejected: " + reply.status());
        return false;
      }
      log.warn("start failed, retrying", "run_id", state.runId(), "error", reply.describe());
      backoff = pause(backoff);
    }
    return false;
  }

  private RunOutcome prepareAndRun(LeaseState state, LogShipper shipper)
      throws InterruptedException {
    LeaseResponse lease = state.lease();
    Workspace ws;
    try {
      ws = Workspace.create(runsDir(), lease.runId(), lease.attemptNo());
    } catch (IOException e) {
      log.error("failed to create workspace", "run_id", lease.runId(), "error", e);
      return new RunOutcome(
          "failed", null, "failed to create workspace", "failed to create workspace");
    }
    try {
      Artifact artifact = download(state, ws, shipper);
      extract(ws, shipper, artifact);
      Map<String, String> setupEnv =
          WorkloadEnvironment.base(config.workloadPath(), ws.home(), ws.tmp(), config.passEnv());
      Map<String, String> env = new java.util.LinkedHashMap<>(setupEnv);
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
      if (state.stopRequested()) {
        return outcomeOfStop(state, null, timeoutOf(lease, artifact));
      }
      Confinement confinement = new Confinement(ws.app(), List.of(ws.root()), readOnly);
      return runWorkload(
          state, shipper, command, env, confinement, ws.root(), timeoutOf(lease, artifact));
    } catch (SetupFailure f) {
      if (state.stopRequested()) {
        return outcomeOfStop(state, null, Duration.ZERO);
      }
      log.warn("run setup failed", "run_id", lease.runId(), "error", f.resultMessage());
      return RunOutcome.setupFailed(f);
    } finally {
      ws.delete();
    }
  }

  private RunOutcome runWorkload(
      LeaseState state,
      LogShipper shipper,
      List<String> command,
      Map<String, String> env,
      Confinement confinement,
      Path workspace,
      Duration timeout)
      throws InterruptedException {
    if (!launcher.sandbox().enabled()) {
      warn(
          state.lease(),
          shipper,
          "sandbox disabled (MINITOWER_SANDBOX=none): this run is not isolated");
    }
    LimitWatch limits = new LimitWatch(launcher.sandbox().limits());
    GroupProcess process;
    try {
      process = launcher.start(command, env, confinement);
    } catch (IOException e) {
      log.error("failed to start process", "run_id", state.runId(), "error", e);
      return new RunOutcome(
          "failed", null, "failed to start process", "failed to start process: " + e.getMessage());
    }
    try (process) {
      log.info("run started", "run_id", state.runId(), "pid", process.pid());
      Runnable stopper = () -> CommandRunner.stopAsync(process, config.killGracePeriod());
      state.onStop(stopper);
      Thread out =
          CommandRunner.pump(
              process.stdout(),
              line -> {
                limits.observe(line);
                shipper.stdout(line);
              },
              null,
              "out-" + state.runId());
      Thread err =
          CommandRunner.pump(
              process.stderr(),
              line -> {
                limits.observe(line);
                shipper.stderr(line);
              },
              null,
              "err-" + state.runId());
      try {
        if (!awaitWithinLimits(process, timeout, limits)) {
          if (state.stop(StopReason.TIMEOUT)) {
            log.info("terminating run", "run_id", state.runId(), "reason", "timeout");
          }
          process.waitFor();
        }
      } catch (InterruptedException e) {
        // The agent is being torn down without waiting: never leave the group behind.
        process.terminate(Duration.ZERO);
        throw e;
      }
      process.killLeftovers();
      out.join(5_000);
      err.join(5_000);
      state.removeStopListener(stopper);
      int exit = process.exitValue();
      if (state.stopRequested()) {
        return outcomeOfStop(state, exit, timeout);
      }
      String limit = launcher.sandbox().enabled() ? limits.verdict(exit, workspace) : null;
      if (limit != null) {
        log.info("run hit a limit", "run_id", state.runId(), "limit", limit, "exit_code", exit);
        return new RunOutcome("failed", exit, limit, "run failed: " + limit);
      }
      return exit == 0 ? RunOutcome.completed() : RunOutcome.exited(exit);
    }
  }

  /**
   * Waits for the workload up to {@code timeout}; false = timed out. Meanwhile counts the sandbox's
   * tasks: a run at its process limit (a fork bomb) is ended at once, since it would otherwise spin
   * until its timeout.
   */
  private boolean awaitWithinLimits(GroupProcess process, Duration timeout, LimitWatch limits)
      throws InterruptedException {
    if (!launcher.sandbox().enabled()) {
      return process.waitFor(timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (process.waitFor(Duration.ofNanos(Math.min(left, LIMIT_SAMPLE.toNanos())))) {
        return true;
      }
      if (limits.atProcessLimit(process.sandboxTasks())) {
        limits.processLimitReached();
        process.terminate(Duration.ZERO);
        process.waitFor();
        return true;
      }
    }
  }

  private RunOutcome outcomeOfStop(LeaseState state, Integer exit, Duration timeout) {
    StopReason reason = state.stopReason();
    if (state.lost() || reason == null) {
      return null;
    }
    return switch (reason) {
      case CANCEL_REQUESTED -> RunOutcome.cancelled(null);
      case SHUTDOWN -> RunOutcome.cancelled("runner shutting down");
      case TIMEOUT -> RunOutcome.timedOut(timeout.toSeconds());
      case LEASE_LOST -> null;
    };
  }

  private void finish(LeaseState state, LogShipper shipper, RunOutcome outcome)
      throws InterruptedException {
    if (outcome == null || state.lostOrExpired()) {
      log.warn("run abandoned: lease lost", "run_id", state.runId(), "detail", state.lostDetail());
      return;
    }
    if (outcome.logLine() != null) {
      shipper.stderr(outcome.logLine());
    }
    // A server that started the run with the lease also takes the last lines with the result.
    List<LogEntry> tail;
    if (Boolean.TRUE.equals(state.lease().started())) {
      tail = shipper.closeForResult(state.ttl());
    } else {
      tail = shipper.flushAndClose(state.ttl()) ? List.of() : null;
    }
    if (tail == null && state.lost()) {
      log.warn("stale lease on final log flush", "run_id", state.runId());
      return;
    }
    submitResult(state, outcome, tail == null ? List.of() : tail);
  }

  /** Retries until acknowledged (200, also the idempotent repeat) or the lease is gone. */
  private void submitResult(LeaseState state, RunOutcome outcome, List<LogEntry> tail)
      throws InterruptedException {
    // The message (and the lines) may quote a command's output: the result refuses NUL and lone
    // surrogates, which a log batch would store as U+FFFD.
    List<LogEntry> logs = null;
    if (!tail.isEmpty()) {
      logs = new ArrayList<>(tail.size());
      for (LogEntry e : tail) {
        logs.add(new LogEntry(e.seq(), e.stream(), WireText.clean(e.line()), e.loggedAt()));
      }
    }
    ResultRequest body =
        new ResultRequest(
            outcome.status(), outcome.exitCode(), WireText.clean(outcome.errorMessage()), logs);
    Duration backoff = Duration.ofMillis(200);
    while (!state.lostOrExpired()) {
      Reply reply = client.result(state.runId(), state.leaseToken(), body);
      if (reply.ok()) {
        String msg =
            switch (outcome.status()) {
              case "completed" -> "run completed";
              case "cancelled" -> "run cancelled";
              default -> state.stopReason() == StopReason.TIMEOUT ? "run timed out" : "run failed";
            };
        log.info(
            msg,
            "run_id",
            state.runId(),
            "exit_code",
            outcome.exitCode(),
            "error",
            outcome.errorMessage());
        return;
      }
      if (reply.leaseLost()) {
        log.warn("stale lease on result submit", "run_id", state.runId(), "status", reply.status());
        return;
      }
      if (!reply.transientFailure()) {
        log.error("result rejected", "run_id", state.runId(), "error", reply.describe());
        return;
      }
      log.warn(
          "result submit failed, retrying", "run_id", state.runId(), "error", reply.describe());
      backoff = pause(backoff);
    }
    log.warn("result not delivered: lease lost", "run_id", state.runId());
  }

  /** What the artifact download told us besides the bytes. */
  record Artifact(String sha256, String entrypoint, List<String> importPaths, Integer timeout) {}

  private Artifact download(LeaseState state, Workspace ws, LogShipper shipper)
      throws SetupFailure, InterruptedException {
    LeaseResponse lease = state.lease();
    shipper.stderr("downloading run artifact");
    HttpResponse<InputStream> response;
    try {
      response = client.artifact(lease.runId(), lease.leaseToken());
    } catch (IOException e) {
      throw downloadFailure(e.toString());
    }
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 410 || status == 409) {
        log.warn("stale lease on artifact download", "run_id", lease.runId(), "status", status);
        state.lose("artifact download answered " + status);
        throw downloadFailure("lease lost");
      }
      if (status != 200) {
        byte[] head = body.readNBytes(512);
        throw downloadFailure(
            "download failed: " + status + " " + new String(head, StandardCharsets.UTF_8).strip());
      }
      Runnable abort = () -> closeQuietly(body);
      state.onStop(abort);
      MessageDigest sha = sha256();
      long size;
      try (InputStream in = new DigestInputStream(body, sha);
          OutputStream out = Files.newOutputStream(ws.artifact())) {
        size = copyBounded(in, out);
      } catch (IOException e) {
        throw downloadFailure(e.getMessage());
      } finally {
        state.removeStopListener(abort);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      String expected =
          response
              .headers()
              .firstValue(RunnerProtocol.ARTIFACT_SHA_HEADER)
              .orElse(lease.artifactSha256());
      if (expected != null && !expected.isBlank() && !expected.strip().equalsIgnoreCase(actual)) {
        throw downloadFailure("sha256 mismatch: expected " + expected.strip() + ", got " + actual);
      }
      log.info("artifact downloaded", "run_id", lease.runId(), "bytes", size, "sha256", actual);
      List<String> importPaths = lease.importPaths();
      if (importPaths == null) {
        importPaths = List.of();
        String header =
            response.headers().firstValue(RunnerProtocol.IMPORT_PATHS_HEADER).orElse(null);
        if (header != null && !header.isBlank()) {
          try {
            importPaths = RunnerClient.JSON.readValue(header, new TypeReference<List<String>>() {});
          } catch (IOException e) {
            warn(lease, shipper, "ignoring unreadable " + RunnerProtocol.IMPORT_PATHS_HEADER);
          }
        }
      }
      Integer timeout = null;
      String timeoutHeader =
          response.headers().firstValue(RunnerProtocol.TIMEOUT_HEADER).orElse(null);
      if (timeoutHeader != null) {
        try {
          timeout = Integer.parseInt(timeoutHeader.strip());
        } catch (NumberFormatException e) {
          warn(lease, shipper, "ignoring unreadable " + RunnerProtocol.TIMEOUT_HEADER);
        }
      }
      String entrypoint =
          response.headers().firstValue(RunnerProtocol.ENTRYPOINT_HEADER).orElse(null);
      return new Artifact(actual, entrypoint, importPaths, timeout);
    } catch (IOException e) {
      throw downloadFailure(e.getMessage());
    }
  }

  private void extract(Workspace ws, LogShipper shipper, Artifact artifact) throws SetupFailure {
    try (InputStream in = Files.newInputStream(ws.artifact())) {
      extractor.extract(in, ws.app());
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new SetupFailure("failed to unpack artifact: " + msg, "artifact unpack failed: " + msg);
    }
    try {
      launcher.sandbox().handOver(ws.root());
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to unpack artifact: cannot prepare the workspace: " + e.getMessage(),
          "artifact unpack failed: cannot prepare the workspace: " + e.getMessage());
    }
    shipper.stderr("artifact unpacked (sha256: " + artifact.sha256() + ")");
    log.info("artifact unpacked", "sha256", artifact.sha256());
  }

  private static SetupFailure downloadFailure(String err) {
    return new SetupFailure(
        "failed to download artifact: " + err, "artifact download failed: " + err);
  }

  private static long copyBounded(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > MAX_ARTIFACT_BYTES) {
        throw new IOException("artifact larger than " + MAX_ARTIFACT_BYTES + " bytes");
      }
      out.write(buf, 0, n);
    }
    return total;
  }

  private static Duration timeoutOf(LeaseResponse lease, Artifact artifact) {
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

  private static Duration pause(Duration backoff) throws InterruptedException {
    Thread.sleep(backoff.toMillis());
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // aborting anyway
    }
  }
}
