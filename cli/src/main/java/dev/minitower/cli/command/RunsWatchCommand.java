package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    description = {
      "Watch a run (default: the app's newest) until it ends, printing status changes and logs.",
      "Exit code: 0 completed, 1 failed/dead, 2 cancelled."
    })
final class RunsWatchCommand extends ApiCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "<run-id>", description = "Run id.")
  String id;

  @Option(names = "--app", paramLabel = "<slug>", description = "App whose newest run to watch.")
  String app;

  @Option(names = "--status-only", description = "Do not print log lines.")
  boolean statusOnly;

  @Option(
      names = "--raw",
      description = "Print log lines unmodified (keeps ANSI colours; trust the job first).")
  boolean raw;

  @Option(
      names = "--interval",
      paramLabel = "<duration>",
      defaultValue = "2s",
      description = "Poll interval (default 2s).")
  String interval;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    Long explicitId = id == null ? null : runId(id);
    Duration every = RunsCommand.interval(interval);
    if (json.json && !statusOnly) {
      throw CliException.usage("--json requires --status-only");
    }
    long runId = explicitId != null ? explicitId : newestRun(requireApp(app));
    // With --json, stdout carries only the final run object; status lines go to stderr.
    var statusOut = json.json ? term().err() : out();
    LogTail tail = statusOnly ? null : new LogTail(api(), runId, out(), 0).raw(raw);
    String last = null;
    RunsCommand.Patience patience = new RunsCommand.Patience();
    while (true) {
      JsonNode run;
      try {
        run = api().get(RunsCommand.runPath(runId));
      } catch (CliException e) {
        patience.absorb(e, term());
        term().sleep(every);
        continue;
      }
      String status = text(run, "status");
      if (status != null && !status.equals(last)) {
        statusOut.println("run " + runId + " status: " + status);
        statusOut.flush();
        last = status;
      }
      if (tail != null) {
        tail.observe(run);
        try {
          tail.poll();
        } catch (CliException e) {
          patience.absorb(e, term());
          term().sleep(every);
          continue;
        }
      }
      patience.reset();
      if (LogTail.isTerminal(status)) {
        if (json.json) {
          printJson(run);
        }
        return LogTail.exitCodeFor(status);
      }
      term().sleep(every);
    }
  }

  private long newestRun(String slug) {
    JsonNode resp =
        api()
            .get(
                ApiClient.withQuery(
                    "/api/v1/apps/" + ApiClient.seg(slug) + "/runs", Map.of("limit", 1)));
    JsonNode runs = resp.path("runs");
    if (!runs.isArray() || runs.isEmpty()) {
      throw new CliException(
          "no runs found for app \"" + slug + "\"", "not_found", ExitCodes.NOT_FOUND);
    }
    return runs.get(0).path("run_id").asLong();
  }
}
