package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.Terminal;
import dev.minitower.cli.config.ConfigStore;
import dev.minitower.cli.output.JsonOutput;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every leaf command has: {@code -h/--help}, the terminal, the config store. */
@Command(sortOptions = false, usageHelpAutoWidth = true)
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean helpRequested;

  protected Terminal term() {
    return ((RootCommand) spec.root().userObject()).terminal();
  }

  protected PrintStream out() {
    return term().out();
  }

  protected ConfigStore configStore() {
    return ConfigStore.forTerminal(term());
  }

  protected void printJson(JsonNode node) {
    out().print(JsonOutput.pretty(node));
    out().flush();
  }

  @Override
  public final Integer call() {
    return execute();
  }

  /** Runs the command; returns the exit code or throws {@link CliException}. */
  protected abstract int execute();

  // ---- small helpers shared by the commands ----

  /** A field as text, or null when absent or JSON null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  static String shortSha(String sha) {
    if (sha == null) {
      return null;
    }
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  static long positiveId(String raw, String message) {
    try {
      long v = Long.parseLong(raw.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw CliException.usage(message);
  }

  static long runId(String raw) {
    return positiveId(raw, "run ID must be a positive integer");
  }
}
