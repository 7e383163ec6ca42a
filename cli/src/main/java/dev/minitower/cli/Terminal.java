package dev.minitower.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command may touch outside itself: the two output streams, the environment, the
 * password source and the clock used between polls. Tests and the e2e module build one with their
 * own streams and environment; {@link #system()} is the real process.
 */
public final class Terminal {
  /** Sleeps between polls; replaced in tests so following a run does not wait in real time. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final InputStream stdin;
  private final Console console;
  private final Sleeper sleeper;
  private final boolean interactive;
  private BufferedReader stdinReader;

  public Terminal(
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      InputStream stdin,
      Console console,
      Sleeper sleeper,
      boolean interactive) {
    this.out = Objects.requireNonNull(out);
    this.err = Objects.requireNonNull(err);
    this.env = Map.copyOf(env);
    this.stdin = stdin;
    this.console = console;
    this.sleeper = sleeper;
    this.interactive = interactive;
  }

  /** The real process: System streams, environment and console. */
  public static Terminal system() {
    Console console = System.console();
    return new Terminal(
        System.out,
        System.err,
        System.getenv(),
        System.in,
        console,
        d -> Thread.sleep(d.toMillis()),
        console != null);
  }

  /** A non-interactive terminal (no console, stdin as given), for embedding and tests. */
  public static Terminal of(
      PrintStream out, PrintStream err, Map<String, String> env, InputStream stdin) {
    return new Terminal(out, err, env, stdin, null, d -> Thread.sleep(d.toMillis()), false);
  }

  public Terminal withSleeper(Sleeper s) {
    return new Terminal(out, err, env, stdin, console, s, interactive);
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** An environment variable, or {@code null} when unset or empty (as Go's os.Getenv checks). */
  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Whether stderr is a terminal a progress bar may redraw in place. */
  public boolean interactive() {
    return interactive;
  }

  public void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", "interrupted", ExitCodes.ERROR);
    }
  }

  /** Whether a console exists (a no-echo prompt is possible). */
  public boolean hasConsole() {
    return console != null;
  }

  /** Everything left on stdin, or {@code null} when there is no stdin. */
  public String readAllStdin() {
    if (stdin == null) {
      return null;
    }
    try {
      if (stdinReader != null) {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = stdinReader.read(buf)) > 0) {
          sb.append(buf, 0, n);
        }
        return sb.toString();
      }
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a secret without echo when a console exists; otherwise prints the prompt on stderr and
   * reads one line from stdin (so {@code echo pw | minitower login} works).
   */
  public String readSecret(String prompt) {
    if (console != null) {
      char[] chars = console.readPassword("%s", prompt);
      return chars == null ? null : new String(chars);
    }
    err.print(prompt);
    err.flush();
    try {
      if (stdinReader == null) {
        if (stdin == null) {
          return null;
        }
        stdinReader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      }
      return stdinReader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
