package dev.minitower.agent;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.client.TokenStore;
import dev.minitower.agent.config.AgentConfig;
import dev.minitower.agent.exec.CommandRunner;
import dev.minitower.agent.exec.NextLeases;
import dev.minitower.agent.exec.ProcessLauncher;
import dev.minitower.agent.exec.PythonEnvironments;
import dev.minitower.agent.exec.RunExecutor;
import dev.minitower.agent.exec.SafeArchiveExtractor;
import dev.minitower.agent.exec.Sandbox;
import dev.minitower.agent.exec.Workspace;
import dev.minitower.agent.lease.CancelWatcher;
import dev.minitower.agent.lease.LeaseKeeper;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.lease.StopReason;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.BatchLeaseResponse;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.model.runner.RegisterResponse;
import dev.minitower.model.wire.WireTime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner agent: registers, long-polls for leases while it has a free slot ({@code
 * MINITOWER_RUNNER_CONCURRENCY}), executes each lease on its own thread, and drains on {@link
 * #shutdown()}. Embeddable: construct from an {@link AgentConfig}, {@link #start()}, {@link
 * #shutdown()}.
 */
public final class Agent implements AutoCloseable {
  private final AgentConfig config;
  private final AgentLog log;
  private final RunnerClient client;
  private final TokenStore tokens;
  private final Set<LeaseState> active = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicInteger finishedRuns = new AtomicInteger();
  private Semaphore slots;
  private ExecutorService runs;
  private LeaseKeeper keeper;
  private ProcessLauncher launcher;
  private RunExecutor executor;
  private Thread loop;
  private FileChannel lockChannel;
  private FileLock lock;
  private long lastHeartbeatRegistration = System.nanoTime() - Long.MAX_VALUE / 2;
  private volatile boolean batchLeasing = true;
  private CancelWatcher cancels;

  public Agent(AgentConfig config, PrintStream logOut) {
    this.config = config;
    this.log = new AgentLog(logOut, config.runnerName());
    this.client = new RunnerClient(config.baseUrl());
    this.tokens = new TokenStore(config.dataDir());
  }

  public AgentConfig config() {
    return config;
  }

  /** Prepares the data dir, loads or obtains the runner token and starts the lease loop. */
  public synchronized void start() throws AgentException {
    try {
      prepareDataDir();
      Sandbox sandbox = Sandbox.create(config.sandbox());
      try {
        sandbox.check(config.dataDir().resolve("runs").resolve(".sandbox-check"));
      } catch (Sandbox.SandboxUnavailable e) {
        throw new AgentException(
            "cannot build the workload sandbox: "
                + e.getMessage()
                + " (install bubblewrap and util-linux; in a container allow user namespaces and"
                + " unmask /proc, see runner-agent/README.md; MINITOWER_SANDBOX=none disables the"
                + " sandbox for development only)");
      }
      if (sandbox.enabled()) {
        log.info("workload sandbox ready", "sandbox", sandbox.describe());
      } else {
        log.warn(
            "workload sandbox disabled (MINITOWER_SANDBOX=none): runs are not isolated from the"
                + " agent or each other; development only");
      }
      String saved = tokens.load();
      if (saved != null) {
        client.useRunnerToken(saved);
        log.info("loaded saved token", "file", tokens.file());
      } else if (config.registrationToken().isEmpty()) {
        throw new AgentException("no saved token and MINITOWER_RUNNER_REGISTRATION_TOKEN not set");
      } else {
        Reply reply = register();
        // 409: the name's current token is still in use (e.g. by this runner's previous life);
        // it frees up within one lease TTL, so keep trying from the lease loop.
        if (!reply.ok() && !reply.transientFailure() && reply.status() != 409) {
          throw new AgentException("register failed: " + reply.describe());
        }
      }
      launcher = new ProcessLauncher(sandbox);
      if (!launcher.missingTools().isEmpty()) {
        log.warn(
            "process isolation incomplete: tools not found",
            "missing",
            String.join(",", launcher.missingTools()));
      }
      CommandRunner commands = new CommandRunner(launcher, config.killGracePeriod());
      PythonEnvironments pythons =
          new PythonEnvironments(config.dataDir(), config.pythonBin(), commands, sandbox, log);
      keeper = new LeaseKeeper(client, log, config.heartbeatMinInterval());
      keeper.onUnauthorized(this::reRegisterFromHeartbeat);
      executor =
          new RunExecutor(
              config, client, keeper, launcher, pythons, new SafeArchiveExtractor(), log);
      slots = new Semaphore(config.concurrency());
      AtomicInteger n = new AtomicInteger();
      runs =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "run-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      cancels = new CancelWatcher(client, log, () -> active);
      cancels.start();
      loop = new Thread(this::leaseLoop, "lease-loop");
      loop.start();
      log.info(
          "runner started",
          "name",
          config.runnerName(),
          "environment",
          config.environment(),
          "concurrency",
          config.concurrency(),
          "server",
          config.baseUrl());
    } catch (IOException e) {
      releaseLock();
      throw new AgentException("cannot prepare data dir " + config.dataDir() + ": " + e, e);
    } catch (AgentException e) {
      releaseLock();
      throw e;
    }
  }

  private void prepareDataDir() throws IOException, AgentException {
    Path dir = config.dataDir();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    lockChannel =
        FileChannel.open(
            dir.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      throw new AgentException("data dir " + dir + " is in use by another runner agent");
    }
    Workspace.removeAll(dir.resolve("runs"));
  }

  /**
   * A running lease keeps its runner id across a re-registration (only the token rotates), so a 401
   * on heartbeats is answered by registering again instead of letting the lease expire. At most
   * once per poll interval, to avoid feeding a token ping-pong between two agents with one name.
   */
  private void reRegisterFromHeartbeat() {
    if (config.registrationToken().isEmpty() || stopping.get()) {
      return;
    }
    long now = System.nanoTime();
    synchronized (this) {
      if (now - lastHeartbeatRegistration < config.pollInterval().toNanos()) {
        return;
      }
      lastHeartbeatRegistration = now;
    }
    try {
      log.warn("runner token rejected on heartbeat, registering again");
      register();
    } catch (IOException e) {
      log.warn("register failed", "error", e);
    }
  }

  private synchronized Reply register() throws IOException {
    Reply reply =
        client.register(
            config.registrationToken(),
            new RegisterRequest(
                config.runnerName(), config.environment(), config.concurrency(), null));
    if (reply.ok()) {
      RegisterResponse r = RunnerClient.JSON.readValue(reply.body(), RegisterResponse.class);
      client.useRunnerToken(r.token());
      try {
        tokens.save(r.token());
      } catch (IOException e) {
        log.warn("could not save runner token", "error", e);
      }
      log.info("registered successfully", "runner_id", r.runnerId(), "status", reply.status());
    } else {
      log.error("register failed", "error", reply.describe());
    }
    return reply;
  }

  /**
   * Leases while there is a free slot. With a server that offers it, one batch lease asks for every
   * free slot at once and gets the runs already started (no separate start call); otherwise the
   * original lease, one run per call. An empty answer is followed by the poll interval only when
   * the server did not hold the request (plain polling, {@code MINITOWER_LEASE_WAIT=0}, or a server
   * without long polls): an empty long poll has already waited.
   */
  private void leaseLoop() {
    while (!stopping.get()) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        break;
      }
      int held = 1 + (batchLeasing ? slots.drainPermits() : 0);
      int handedOver = 0;
      try {
        if (client.runnerToken() == null) {
          if (config.registrationToken().isEmpty()) {
            log.error("unauthorized and no registration token");
            pause(true);
          } else if (!register().ok()) {
            pause(true);
          }
          continue;
        }
        boolean batch = batchLeasing;
        long sentAt = System.nanoTime();
        Reply reply =
            batch
                ? client.leaseBatch(held, true, config.leaseWait())
                : client.lease(config.leaseWait());
        // A long poll may sit on the server for up to leaseWait before the lease is granted: the
        // granted time (lease_expires_at - Date) counts from the answer, not from the request.
        long answeredAt = System.nanoTime();
        if (batch && (reply.status() == 404 || reply.status() == 405)) {
          log.info("batch lease not offered by the server, using lease and start per run");
          batchLeasing = false;
          continue;
        }
        if (reply.status() == 200) {
          List<LeaseResponse> leases =
              batch
                  ? RunnerClient.JSON.readValue(reply.body(), BatchLeaseResponse.class).leases()
                  : List.of(RunnerClient.JSON.readValue(reply.body(), LeaseResponse.class));
          for (LeaseResponse lease : leases) {
            if (handedOver == held) {
              log.warn(
                  "more leases granted than asked for, left to expire", "run_id", lease.runId());
              continue;
            }
            LeaseState state = granted(lease, LeaseKeeper.serverDate(reply), answeredAt);
            if (state == null) {
              continue;
            }
            handOver(state);
            handedOver++;
          }
        } else if (reply.status() == 204) {
          boolean held204 =
              !config.leaseWait().isZero()
                  && answeredAt - sentAt >= config.leaseWait().dividedBy(2).toNanos();
          pause(!held204);
        } else if (reply.status() == 401) {
          log.warn("runner token rejected on lease poll");
          tokens.delete();
          client.useRunnerToken(null);
        } else if (!stopping.get()) {
          log.warn("poll error", "error", "lease failed: " + reply.describe());
          pause(true);
        }
      } catch (IOException e) {
        log.warn("poll error", "error", e);
        pause(true);
      } finally {
        slots.release(held - handedOver);
      }
    }
  }

  /**
   * The local state of a granted lease, renewed from its answer; null when the agent is stopping
   * (the lease is then not run: the server reaps it and retries the run).
   */
  private LeaseState granted(LeaseResponse lease, Instant serverDate, long answeredAt) {
    if (stopping.get()) {
      log.warn("lease granted during shutdown left unstarted", "run_id", lease.runId());
      return null;
    }
    return renewed(lease, serverDate, answeredAt);
  }

  /** The local state of a lease, its deadline taken from the answer that granted it. */
  private LeaseState renewed(LeaseResponse lease, Instant serverDate, long answeredAt) {
    LeaseState state = new LeaseState(lease);
    state.renewed(
        WireTime.parseOrNull(lease.leaseExpiresAt()),
        serverDate,
        answeredAt,
        config.heartbeatMinInterval());
    return state;
  }

  /**
   * Runs one granted lease on its own thread; its slot is released when it ends. Against a server
   * that offers the batch lease, the result of each run asks for the slot's next run ({@code next}
   * of the result call), and the thread goes on to it: a busy slot makes one call per run. An empty
   * answer (no queued run) hands the slot back to the lease loop's long poll.
   */
  private void handOver(LeaseState first) {
    active.add(first);
    runs.execute(
        () -> {
          LeaseState state = first;
          try {
            while (state != null) {
              NextLeases next = NextLeases.NONE;
              try {
                // Decided when the result is sent: a draining agent asks for nothing.
                next = executor.execute(state, () -> batchLeasing && !stopping.get());
              } catch (RuntimeException e) {
                log.error("run crashed", "run_id", state.runId(), "error", e);
              } finally {
                active.remove(state);
                finishedRuns.incrementAndGet();
              }
              state = nextOf(next);
            }
          } finally {
            slots.release();
          }
        });
  }

  /** The next run granted with a result (at most one is asked for), tracked as active. */
  private LeaseState nextOf(NextLeases next) {
    LeaseState state = null;
    for (LeaseResponse lease : next.leases()) {
      if (state != null) {
        log.warn("more leases granted than asked for, left to expire", "run_id", lease.runId());
        continue;
      }
      // Run even when a drain began after the result was sent: the run is already started on the
      // server, and dropping it would leave it to expire (and end dead without a retry left); the
      // drain waits for it like for any active run.
      state = renewed(lease, next.serverDate(), next.sentAtNanos());
      log.info("next run granted with the result", "run_id", lease.runId());
    }
    if (state != null) {
      active.add(state);
    }
    return state;
  }

  /** Waits the poll interval plus jitter (unless {@code really} is false); ends early on stop. */
  private void pause(boolean really) {
    if (!really || stopping.get()) {
      return;
    }
    long base = config.pollInterval().toMillis();
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, base / 2));
    try {
      stopSignal.await(base + jitter, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs currently held by this agent. */
  public int activeRuns() {
    return active.size();
  }

  /** Runs that have ended (reported or abandoned) since start. */
  public int finishedRuns() {
    return finishedRuns.get();
  }

  /**
   * Stops leasing, lets running work finish for up to the drain timeout, then stops it (SIGTERM,
   * grace, SIGKILL to each process group) and reports it {@code cancelled}. Returns when every run
   * has ended or the reporting budget is used up.
   */
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    log.info("shutting down", "active_runs", active.size());
    stopSignal.countDown();
    if (loop == null) {
      stopped.countDown();
      releaseLock();
      return;
    }
    loop.interrupt();
    try {
      loop.join(5_000);
      runs.shutdown();
      if (!active.isEmpty()) {
        log.info("draining", "active_runs", active.size(), "drain_timeout", config.drainTimeout());
      }
      if (!runs.awaitTermination(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        for (LeaseState state : active) {
          if (state.stop(StopReason.SHUTDOWN)) {
            log.info("terminating run", "run_id", state.runId(), "reason", "runner shutting down");
          }
        }
        Duration budget = config.killGracePeriod().plus(Duration.ofSeconds(20));
        if (!runs.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS)) {
          runs.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runs.shutdownNow();
    } finally {
      keeper.close();
      cancels.close();
      launcher.close();
      releaseLock();
      log.info("stopped");
      stopped.countDown();
    }
  }

  /** Blocks until {@link #shutdown()} has finished. */
  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // the process is ending anyway
    }
  }

  @Override
  public void close() {
    shutdown();
  }
}
