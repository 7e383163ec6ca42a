package dev.minitower.agent.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts workloads (and setup commands) so they can be killed as a whole and never outlive the
 * agent:
 *
 * <ul>
 *   <li>{@code setsid} makes the command a session and process-group leader, so {@code kill -TERM
 *       -<pgid>} reaches everything it starts (unless a child leaves the group on purpose);
 *   <li>{@code setpriv --pdeathsig KILL} makes the kernel SIGKILL the leader when the agent dies,
 *       even by SIGKILL. The "parent" of that rule is the <em>thread</em> that forked, so all forks
 *       happen on one long-lived thread owned by this class;
 *   <li>a watchdog ({@code /bin/sh} blocked reading a pipe from the agent) SIGKILLs the whole group
 *       when that pipe closes, i.e. when the agent process is gone for any reason. It covers the
 *       leader's children, which the kernel rule does not reach.
 * </ul>
 *
 * <p>With a {@link Sandbox} enabled the session leader is bubblewrap's outer process; the workload
 * runs in the sandbox's PID namespace below bubblewrap's init, so killing that init (or the outer
 * process, through {@code --die-with-parent}) ends every process of the run.
 */
public final class ProcessLauncher implements AutoCloseable {
  private static final String WATCHDOG =
      "trap '' INT TERM HUP; read _ignored; kill -KILL -\"$1\" 2>/dev/null";

  private final ExecutorService forker;
  private final String setsid;
  private final String setpriv;
  private final String kill;
  private final Sandbox sandbox;

  public ProcessLauncher(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.forker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "process-forker");
              t.setDaemon(true);
              return t;
            });
    this.setsid = find("setsid");
    this.setpriv = find("setpriv");
    this.kill = find("kill");
  }

  /** Missing tools, for a startup warning; empty when process-group isolation is complete. */
  public List<String> missingTools() {
    List<String> missing = new ArrayList<>();
    if (setsid == null) {
      missing.add("setsid");
    }
    if (setpriv == null) {
      missing.add("setpriv");
    }
    if (kill == null) {
      missing.add("kill");
    }
    return missing;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  /**
   * Starts {@code command} in its own session with exactly {@code env}, confined to {@code
   * confinement} (its working directory only, when the sandbox is off); stdout and stderr are
   * pipes, stdin is empty.
   */
  public GroupProcess start(List<String> command, Map<String, String> env, Confinement confinement)
      throws IOException {
    List<String> full = new ArrayList<>();
    if (setpriv != null) {
      full.addAll(List.of(setpriv, "--pdeathsig", "KILL"));
    }
    if (setsid != null) {
      full.add(setsid);
    }
    boolean sandboxed = sandbox.enabled();
    Sandbox.Launch launch = sandboxed ? sandbox.launch(confinement, command, env) : null;
    full.addAll(sandboxed ? launch.command() : command);
    ProcessBuilder pb =
        new ProcessBuilder(full).directory(sandboxed ? new File("/") : confinement.cwd().toFile());
    pb.environment().clear();
    if (sandboxed) {
      pb.environment().put("PATH", AgentPaths.SYSTEM_PATH);
    } else {
      pb.environment().putAll(env);
    }
    if (!sandboxed) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = onForker(pb);
    if (sandboxed) {
      try (var args = process.getOutputStream()) {
        args.write(launch.stdin());
      } catch (IOException e) {
        process.destroyForcibly();
        throw e;
      }
    }
    Process watchdog = null;
    if (setsid != null) {
      ProcessBuilder wb =
          new ProcessBuilder(
                  "/bin/sh", "-c", WATCHDOG, "minitower-watchdog", Long.toString(process.pid()))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      wb.environment().clear();
      wb.environment().put("PATH", AgentPaths.SYSTEM_PATH);
      try {
        watchdog = onForker(wb);
      } catch (IOException e) {
        process.destroyForcibly();
        throw e;
      }
    }
    return new GroupProcess(process, watchdog, setsid != null, sandboxed, this);
  }

  private Process onForker(ProcessBuilder pb) throws IOException {
    Future<Process> f = forker.submit(pb::start);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting a process", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  /** Sends {@code signal} (TERM, KILL) to every process of group {@code pgid}. */
  void signalGroup(long pgid, String signal) {
    if (kill == null) {
      return;
    }
    ProcessBuilder pb =
        new ProcessBuilder(kill, "-s", signal, "--", "-" + pgid)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      p.waitFor();
    } catch (IOException e) {
      // The group is gone or kill is unavailable; descendants are signalled as well.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String find(String tool) {
    for (String dir : AgentPaths.SYSTEM_PATH.split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  @Override
  public void close() {
    forker.shutdown();
  }
}
