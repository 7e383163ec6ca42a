package dev.minitower.agent.exec;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A started command that leads its own process group; see {@link ProcessLauncher}. */
public final class GroupProcess implements AutoCloseable {
  private final Process process;
  private final Process watchdog;
  private final boolean ownGroup;
  private final boolean sandboxed;
  private final ProcessLauncher launcher;
  private final Object termination = new Object();

  GroupProcess(
      Process process,
      Process watchdog,
      boolean ownGroup,
      boolean sandboxed,
      ProcessLauncher launcher) {
    this.process = process;
    this.watchdog = watchdog;
    this.ownGroup = ownGroup;
    this.sandboxed = sandboxed;
    this.launcher = launcher;
  }

  public long pid() {
    return process.pid();
  }

  public InputStream stdout() {
    return process.getInputStream();
  }

  public InputStream stderr() {
    return process.getErrorStream();
  }

  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  public int exitValue() {
    return process.exitValue();
  }

  /**
   * SIGTERM to the whole group, up to {@code grace} for the leader to exit, then SIGKILL to the
   * whole group. Safe to call more than once and from several threads.
   */
  public void terminate(Duration grace) {
    synchronized (termination) {
      if (!process.isAlive()) {
        killLeftovers();
        return;
      }
      if (sandboxed) {
        terminateSandbox(grace);
        return;
      }
      List<ProcessHandle> tree = descendants();
      signal("TERM", tree);
      try {
        process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tree.addAll(descendants());
      signal("KILL", tree);
    }
  }

  /**
   * Sandboxed: SIGTERM to every process of the run (never to bubblewrap itself, whose death would
   * skip the grace period), then SIGKILL to bubblewrap's init, which makes the kernel kill the
   * whole PID namespace, and to the outer process.
   */
  private void terminateSandbox(Duration grace) {
    List<ProcessHandle> inits = process.toHandle().children().toList();
    List<ProcessHandle> workload = new java.util.ArrayList<>();
    for (ProcessHandle init : inits) {
      init.descendants().forEach(workload::add);
    }
    workload.forEach(ProcessHandle::destroy);
    try {
      process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inits.forEach(ProcessHandle::destroyForcibly);
    signal("KILL", descendants());
  }

  /**
   * Processes and threads running in the sandbox below its init (what the per-run process limit
   * counts); 0 when not sandboxed or finished.
   */
  public int sandboxTasks() {
    if (!sandboxed) {
      return 0;
    }
    int tasks = 0;
    for (ProcessHandle init : process.toHandle().children().toList()) {
      for (ProcessHandle h : (Iterable<ProcessHandle>) init.descendants()::iterator) {
        tasks += threads(h.pid());
      }
    }
    return tasks;
  }

  private static int threads(long pid) {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(
              java.nio.file.Path.of("/proc", Long.toString(pid), "status"),
              java.nio.charset.StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone meanwhile
    }
    return 0;
  }

  /**
   * After the leader has exited: SIGKILL whatever it left running in its group, so a run never
   * leaves processes behind (and its output pipes close).
   */
  public void killLeftovers() {
    signal("KILL", descendants());
  }

  private List<ProcessHandle> descendants() {
    return process
        .toHandle()
        .descendants()
        .collect(Collectors.toCollection(java.util.ArrayList::new));
  }

  private void signal(String signal, List<ProcessHandle> tree) {
    if (ownGroup) {
      launcher.signalGroup(process.pid(), signal);
    }
    if (process.isAlive()) {
      if (signal.equals("KILL")) {
        process.destroyForcibly();
      } else {
        process.destroy();
      }
    }
    for (ProcessHandle h : tree) {
      if (signal.equals("KILL")) {
        h.destroyForcibly();
      } else {
        h.destroy();
      }
    }
  }

  /** Stops the watchdog (the group is finished) and releases the pipes. */
  @Override
  public void close() {
    if (watchdog != null) {
      watchdog.destroyForcibly();
      try {
        watchdog.getOutputStream().close();
      } catch (IOException e) {
        // already gone
      }
    }
    closeQuietly(process.getInputStream());
    closeQuietly(process.getErrorStream());
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing left to read
    }
  }
}
