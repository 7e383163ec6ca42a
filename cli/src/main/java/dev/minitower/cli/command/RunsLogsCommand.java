package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    description = {
      "Print a run's log lines ([seq] STREAM line).",
      "With --follow: keep printing until the run ends, across retries; the exit code is the"
          + " run's outcome (0 completed, 1 failed/dead, 2 cancelled)."
    })
final class RunsLogsCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow until the run ends.")
  boolean follow;

  @Option(
      names = "--interval",
      paramLabel = "<duration>",
      defaultValue = "2s",
      description = "Poll interval (default 2s).")
  String interval;

  @Option(
      names = "--after-seq",
      paramLabel = "<n>",
      defaultValue = "0",
      description = "Only lines after this seq.")
  long afterSeq;

  @Option(
      names = "--raw",
      description = "Print log lines unmodified (keeps ANSI colours; trust the job first).")
  boolean raw;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    long runId = runId(id);
    Duration every = RunsCommand.interval(interval);
    if (afterSeq < 0) {
      throw CliException.usage("--after-seq must be >= 0");
    }
    if (json.json && follow) {
      throw CliException.usage("--json cannot be combined with --follow");
    }
    LogTail tail = new LogTail(api(), runId, out(), afterSeq).raw(raw);
    if (!follow) {
      if (json.json) {
        printJson(tail.fetchAll());
      } else {
        tail.poll();
      }
      return ExitCodes.OK;
    }
    RunsCommand.Patience patience = new RunsCommand.Patience();
    while (true) {
      // Run first, then logs: lines written before the run ended are read after seeing the end.
      JsonNode run;
      try {
        run = api().get(RunsCommand.runPath(runId));
        tail.observe(run);
        tail.poll();
        patience.reset();
      } catch (CliException e) {
        patience.absorb(e, term());
        term().sleep(every);
        continue;
      }
      String status = text(run, "status");
      if (LogTail.isTerminal(status)) {
        return LogTail.exitCodeFor(status);
      }
      term().sleep(every);
    }
  }
}
