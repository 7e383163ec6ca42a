package dev.minitower.cli.command;

import dev.minitower.cli.CliException;
import dev.minitower.cli.Terminal;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.model.time.GoDuration;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code runs create|list|get|cancel|retry|logs|watch}. */
@Command(
    name = "runs",
    description = "Create, inspect, cancel and follow runs.",
    subcommands = {
      RunsCreateCommand.class,
      RunsListCommand.class,
      RunsGetCommand.class,
      RunsCancelCommand.class,
      RunsRetryCommand.class,
      RunsLogsCommand.class,
      RunsWatchCommand.class
    })
final class RunsCommand extends GroupCommand {

  static String runPath(long id) {
    return "/api/v1/runs/" + id;
  }

  static Duration interval(String raw) {
    Duration d;
    try {
      d = GoDuration.parse(raw);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid --interval: " + e.getMessage());
    }
    if (d.isZero() || d.isNegative()) {
      throw CliException.usage("--interval must be > 0");
    }
    return d;
  }

  /**
   * Lets a long follow ride out a restarting or briefly unreachable server: transient failures
   * (network, 502/503/504) are reported as warnings and retried on the next poll, up to {@link
   * #MAX} in a row; anything else ends the command.
   */
  static final class Patience {
    static final int MAX = 10;
    private int failures;

    void absorb(CliException e, Terminal term) {
      if (!ApiClient.isTransient(e) || ++failures > MAX) {
        throw e;
      }
      term.err().println("warning: " + e.getMessage() + "; retrying");
      term.err().flush();
    }

    void reset() {
      failures = 0;
    }
  }
}
