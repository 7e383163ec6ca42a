package dev.minitower.cli;

import dev.minitower.cli.command.RootCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code minitower} command line. {@link #run} is callable in-process (tests,
 * the e2e module): it never calls {@link System#exit} and writes only to the given streams.
 */
public final class Main {
  /** {@code -server} (Go flag style) is accepted as {@code --server}; {@code -p} stays short. */
  private static final Pattern GO_STYLE_LONG_FLAG =
      Pattern.compile("^-[a-zA-Z][a-zA-Z0-9-]+(=.*)?$");

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, Terminal.system());
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /** Runs one command line with the given streams and environment; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, Terminal.of(out, err, env, InputStream.nullInputStream()));
  }

  /** As {@link #run(String[], PrintStream, PrintStream, Map)}, with {@code stdin} for prompts. */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Map<String, String> env, InputStream stdin) {
    return run(args, Terminal.of(out, err, env, stdin));
  }

  public static int run(String[] args, Terminal terminal) {
    CommandLine cli = commandLine(terminal);
    if (args.length == 0) {
      cli.usage(terminal.err());
      terminal.err().flush();
      return ExitCodes.ERROR;
    }
    int code = cli.execute(normalize(args));
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }

  /** The configured command tree (also used by the completion command). */
  public static CommandLine commandLine(Terminal terminal) {
    CommandLine cli = new CommandLine(new RootCommand(terminal));
    cli.setOut(new PrintWriter(terminal.out(), true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(terminal.err(), true, StandardCharsets.UTF_8));
    cli.setUnmatchedOptionsArePositionalParams(false);
    cli.setPosixClusteredShortOptionsAllowed(false);
    cli.setAbbreviatedOptionsAllowed(false);
    cli.setParameterExceptionHandler(Main::onParameterError);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> onExecutionError(ex, commandLine, terminal));
    return cli;
  }

  static String[] normalize(String[] args) {
    List<String> out = new ArrayList<>(args.length);
    boolean rest = false;
    for (String a : args) {
      if (!rest && a.equals("--")) {
        rest = true;
      } else if (!rest && GO_STYLE_LONG_FLAG.matcher(a).matches()) {
        a = "-" + a;
      }
      out.add(a);
    }
    return out.toArray(String[]::new);
  }

  private static int onParameterError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String message = ex.getMessage();
    if (ex instanceof UnmatchedArgumentException u
        && !cl.getSubcommands().isEmpty()
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      cl.usage(err);
      message = "unknown command: " + u.getUnmatched().get(0);
    } else if (!cl.getSubcommands().isEmpty() && message.startsWith("missing command")) {
      cl.usage(err);
    } else if (ex instanceof UnmatchedArgumentException u
        && !u.getUnmatched().isEmpty()
        && u.getUnmatched().get(0).startsWith("-")
        && u.getUnmatched().get(0).length() > 1) {
      message = "unknown option: " + u.getUnmatched().get(0);
    } else if (ex instanceof UnmatchedArgumentException u) {
      message = "unexpected arguments: " + String.join(" ", u.getUnmatched());
    }
    err.println("error: " + message + " (usage)");
    err.flush();
    return ExitCodes.ERROR;
  }

  private static int onExecutionError(Exception ex, CommandLine cl, Terminal terminal) {
    PrintStream err = terminal.err();
    terminal.out().flush();
    if (ex instanceof CliException c) {
      err.println("error: " + c.getMessage() + " (" + c.code() + ")");
      err.flush();
      return c.exitCode();
    }
    err.println("error: " + ex + " (internal)");
    err.flush();
    return ExitCodes.ERROR;
  }
}
