package dev.minitower.agent.exec;

import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.logs.LogLines;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a setup command (venv, pip) like a workload: own process group, output streamed to the run's
 * log, stopped with the run, and a tail of its output kept for the error message.
 */
public final class CommandRunner {
  /** Captured command output for error messages (the original's 2048 bytes). */
  static final int CAPTURE_BYTES = 2048;

  private final ProcessLauncher launcher;
  private final Duration grace;

  public CommandRunner(ProcessLauncher launcher, Duration grace) {
    this.launcher = launcher;
    this.grace = grace;
  }

  /** Outcome of a command: exit status and the last {@link #CAPTURE_BYTES} of its output. */
  public record Outcome(int exitCode, String outputTail) {
    /** {@code exit status N: <output, newlines as " | ">}. */
    public String describe() {
      String out = outputTail.strip().replace("\n", " | ");
      return "exit status " + exitCode + (out.isEmpty() ? "" : ": " + out);
    }
  }

  public Outcome run(
      List<String> command,
      Map<String, String> env,
      Confinement confinement,
      LeaseState lease,
      Consumer<String> logSink)
      throws IOException, InterruptedException {
    Tail tail = new Tail();
    try (GroupProcess process = launcher.start(command, env, confinement)) {
      Runnable stopper = () -> stopAsync(process, grace);
      lease.onStop(stopper);
      try {
        Thread out = pump(process.stdout(), logSink, tail, "setup-out");
        Thread err = pump(process.stderr(), logSink, tail, "setup-err");
        int exit;
        try {
          exit = process.waitFor();
        } catch (InterruptedException e) {
          process.terminate(Duration.ZERO);
          throw e;
        }
        process.killLeftovers();
        out.join();
        err.join();
        return new Outcome(exit, tail.text());
      } finally {
        lease.removeStopListener(stopper);
      }
    }
  }

  static void stopAsync(GroupProcess process, Duration grace) {
    Thread t = new Thread(() -> process.terminate(grace), "terminate-" + process.pid());
    t.setDaemon(true);
    t.start();
  }

  static Thread pump(InputStream in, Consumer<String> sink, Tail tail, String name) {
    Thread t =
        new Thread(
            () -> {
              try {
                LogLines.split(
                    in,
                    line -> {
                      if (tail != null) {
                        tail.add(line);
                      }
                      sink.accept(line);
                    });
              } catch (IOException e) {
                // Stream closed: the process is gone.
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Keeps the last {@link #CAPTURE_BYTES} characters of output. */
  static final class Tail {
    private final StringBuilder text = new StringBuilder();
    private boolean cut;

    synchronized void add(String line) {
      text.append(line).append('\n');
      if (text.length() > CAPTURE_BYTES) {
        text.delete(0, text.length() - CAPTURE_BYTES);
        cut = true;
      }
    }

    synchronized String text() {
      return cut ? "(truncated)..." + text : text.toString();
    }
  }
}
