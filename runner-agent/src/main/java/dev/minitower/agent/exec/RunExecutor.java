package dev.minitower.agent.exec;

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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Executes one leased attempt: start it, fetch the artifact ({@link ArtifactFetch}), build the
 * command ({@link CommandBuilder}), run the workload in its own process group while its logs ship,
 * report the result ({@link ResultReporter}). Every server call that fails transiently is retried
 * for as long as the lease is held ({@link LeaseRetry}); a 409/410 anywhere means the lease is
 * lost, which kills the workload and reports nothing.
 */
public final class RunExecutor {
  private static final Duration LIMIT_SAMPLE = Duration.ofMillis(250);

  private final AgentConfig config;
  private final RunnerClient client;
  private final LeaseKeeper keeper;
  private final ProcessLauncher launcher;
  private final AgentLog log;
  private final ArtifactFetch artifacts;
  private final CommandBuilder commands;
  private final ResultReporter results;

  public RunExecutor(
      AgentConfig config,
      RunnerClient client,
      LeaseKeeper keeper,
      ProcessLauncher launcher,
      PythonEnvironments pythons,
      ArtifactExtractor extractor,
      AgentLog log) {
    this.config = config;
    this.client = client;
    this.keeper = keeper;
    this.launcher = launcher;
    this.log = log;
    this.artifacts =
        new ArtifactFetch(
            client,
            new ArtifactCache(config.dataDir().resolve("artifacts"), log),
            extractor,
            launcher,
            log);
    this.commands = new CommandBuilder(config, pythons, log);
    this.results = new ResultReporter(client, log);
  }

  public Path runsDir() {
    return config.dataDir().resolve("runs");
  }

  /**
   * Runs the attempt to its end; {@code state} is already renewed from the lease answer. When
   * {@code next} says so as the result is sent, the result asks for the slot's next run, which is
   * returned (empty when none was granted, or the result was not delivered).
   */
  public NextLeases execute(LeaseState state, BooleanSupplier next) {
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
        return NextLeases.NONE;
      }
      if (state.stopReason() == StopReason.CANCEL_REQUESTED) {
        log.info("run cancelled", "run_id", lease.runId(), "when", "before start");
        return results.submit(state, RunOutcome.cancelled(null), List.of(), next);
      }
      LogShipper shipper = new LogShipper(client, state, log);
      try {
        RunOutcome outcome = prepareAndRun(state, shipper);
        return results.finish(state, shipper, outcome, next);
      } finally {
        shipper.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("run abandoned: agent stopped", "run_id", lease.runId());
      return NextLeases.NONE;
    } finally {
      keeper.untrack(state);
    }
  }

  /** {@code POST /runs/{id}/start}, retried while the lease holds; false = lease lost. */
  private boolean start(LeaseState state) throws InterruptedException {
    long[] sentAt = new long[1];
    Reply reply =
        LeaseRetry.untilAnswered(
            state,
            () -> {
              sentAt[0] = System.nanoTime();
              return client.start(state.runId(), state.leaseToken());
            },
            failed ->
                log.warn(
                    "start failed, retrying", "run_id", state.runId(), "error", failed.describe()));
    if (reply == null) {
      return false;
    }
    if (reply.ok()) {
      try {
        AttemptView view = RunnerClient.JSON.readValue(reply.body(), AttemptView.class);
        keeper.applyAttempt(state, view, reply, sentAt[0]);
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
    log.error("start failed", "run_id", state.runId(), "error", reply.describe());
    state.lose("start rejected: " + reply.status());
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
      ArtifactFetch.Artifact artifact = artifacts.fetch(state, ws, shipper);
      CommandBuilder.Launch launch = commands.build(state, ws, artifact, shipper);
      if (state.stopRequested()) {
        return outcomeOfStop(state, null, launch.timeout());
      }
      Confinement confinement = new Confinement(ws.app(), List.of(ws.root()), launch.readOnly());
      return runWorkload(
          state, shipper, launch.command(), launch.env(), confinement, ws.root(), launch.timeout());
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

  private void warn(LeaseResponse lease, LogShipper shipper, String message) {
    log.warn(message, "run_id", lease.runId());
    shipper.stderr(message);
  }
}
