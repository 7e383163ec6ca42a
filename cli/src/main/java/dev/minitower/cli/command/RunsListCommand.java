package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.Table;
import dev.minitower.model.run.RunStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the team's runs (active first, then newest).")
final class RunsListCommand extends ApiCommand {
  @Option(names = "--app", paramLabel = "<slug>", description = "Only this app.")
  String app;

  @Option(names = "--status", paramLabel = "<status>", description = "Only this status.")
  String status;

  @Option(
      names = "--limit",
      paramLabel = "<n>",
      defaultValue = "50",
      description = "1..100 (default 50).")
  int limit;

  @Option(names = "--offset", paramLabel = "<n>", defaultValue = "0", description = "Rows to skip.")
  int offset;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    if (limit < 1 || limit > 100) {
      throw CliException.usage("--limit must be between 1 and 100");
    }
    if (offset < 0) {
      throw CliException.usage("--offset must be >= 0");
    }
    if (status != null && !status.isBlank()) {
      try {
        RunStatus.fromWire(status.trim());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "invalid --status \""
                + status
                + "\" (one of "
                + Arrays.stream(RunStatus.values())
                    .map(RunStatus::wire)
                    .collect(Collectors.joining(", "))
                + ")");
      }
    }
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("app", app == null ? null : app.trim());
    q.put("status", status == null ? null : status.trim());
    q.put("limit", limit);
    q.put("offset", offset);
    JsonNode resp = api().get(ApiClient.withQuery("/api/v1/runs", q));
    if (json.json) {
      printJson(resp);
      return ExitCodes.OK;
    }
    Table t = table();
    for (JsonNode r : resp.path("runs")) {
      row(t, r);
    }
    t.print(out());
    return ExitCodes.OK;
  }

  private static Table table() {
    return new Table("RUN_ID", "RUN_NO", "APP", "STATUS", "VERSION", "QUEUED_AT");
  }

  private static void row(Table t, JsonNode r) {
    t.row(
        text(r, "run_id"),
        text(r, "run_no"),
        text(r, "app_slug"),
        text(r, "status"),
        text(r, "version_no"),
        text(r, "queued_at"));
  }
}
