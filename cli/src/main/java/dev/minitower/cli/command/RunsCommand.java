package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.Terminal;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.Table;
import dev.minitower.cli.params.ParamConverter;
import dev.minitower.model.run.RunStatus;
import dev.minitower.model.time.GoDuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runs create|list|get|cancel|retry|logs|watch}. */
@Command(
    name = "runs",
    description = "Create, inspect, cancel and follow runs.",
    subcommands = {
      RunsCommand.Create.class,
      RunsCommand.ListRuns.class,
      RunsCommand.Get.class,
      RunsCommand.Cancel.class,
      RunsCommand.Retry.class,
      RunsCommand.Logs.class,
      RunsCommand.Watch.class
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

  @Command(name = "create", description = "Queue a run of an app's latest (or given) version.")
  static final class Create extends ApiCommand {
    @Option(names = "--app", paramLabel = "<slug>", description = "App (default: profile app).")
    String app;

    @Option(
        names = "--input",
        paramLabel = "<json>",
        description = "Input as a JSON object; @file reads it from a file.")
    String input;

    @Option(
        names = {"-p", "--param"},
        paramLabel = "<name=value>",
        description =
            "One input parameter (repeatable), typed by the version's params_schema;"
                + " wins over --input.")
    List<String> params = new ArrayList<>();

    @Option(names = "--version", paramLabel = "<n>", description = "Version number.")
    Long version;

    @Option(names = "--priority", paramLabel = "<n>", description = "Higher runs earlier.")
    Long priority;

    @Option(
        names = "--max-retries",
        paramLabel = "<n>",
        description = "Retries after a lost lease.")
    Long maxRetries;

    @Option(
        names = "--environment",
        paramLabel = "<name>",
        description = "Runner environment (servers that support environments).")
    String environment;

    @Option(
        names = "--idempotency-key",
        paramLabel = "<key>",
        description =
            "Key the server deduplicates creation on (default: a new random key per invocation;"
                + " pass your own to make re-running this command safe).")
    String idempotencyKey;

    @Option(
        names = "--retry-on-failure",
        description = "Also retry when the job fails, not only on a lost lease (newer servers).")
    boolean retryOnFailure;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      ObjectNode inputNode = input == null ? null : parseInput(input);
      if (version != null && version <= 0) {
        throw CliException.usage("--version must be a positive integer");
      }
      if (maxRetries != null && maxRetries < 0) {
        throw CliException.usage("--max-retries must be >= 0");
      }
      for (String p : params) {
        ParamConverter.Assignment.parse(p);
      }
      String slug = requireApp(app);
      if (!params.isEmpty()) {
        JsonNode chosen = chooseVersion(slug);
        String label = chosen == null ? "the app" : "version " + text(chosen, "version_no");
        inputNode =
            ParamConverter.apply(
                inputNode, params, chosen == null ? null : chosen.get("params_schema"), label);
      }
      ObjectNode body = JsonOutput.object();
      if (inputNode != null) {
        body.set("input", inputNode);
      }
      if (version != null) {
        body.put("version_no", version);
      }
      if (priority != null) {
        body.put("priority", priority);
      }
      if (maxRetries != null) {
        body.put("max_retries", maxRetries);
      }
      if (environment != null && !environment.isBlank()) {
        body.put("environment", environment.trim());
      }
      if (retryOnFailure) {
        body.put("retry_on_failure", true);
      }
      String key =
          idempotencyKey == null || idempotencyKey.isBlank()
              ? UUID.randomUUID().toString()
              : idempotencyKey.trim();
      JsonNode run =
          api().postRetryable("/api/v1/apps/" + ApiClient.seg(slug) + "/runs", body, key);
      if (json.json) {
        printJson(run);
      } else {
        out()
            .println(
                "Run #"
                    + text(run, "run_no")
                    + " created (id="
                    + text(run, "run_id")
                    + ", status="
                    + text(run, "status")
                    + ")");
      }
      return ExitCodes.OK;
    }

    /** The version whose schema types the parameters: --version, else the newest. */
    private JsonNode chooseVersion(String slug) {
      JsonNode best = null;
      for (JsonNode v : VersionsCommand.list(api(), slug).path("versions")) {
        long no = v.path("version_no").asLong();
        if (version != null
            ? no == version
            : best == null || no > best.path("version_no").asLong()) {
          best = v;
        }
      }
      if (version != null && best == null) {
        throw new CliException(
            "version " + version + " not found", "not_found", ExitCodes.NOT_FOUND);
      }
      return best;
    }

    private ObjectNode parseInput(String raw) {
      String text = raw;
      if (raw.startsWith("@")) {
        try {
          text = Files.readString(Path.of(raw.substring(1)), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw CliException.usage(
              "invalid --input JSON: cannot read " + raw.substring(1) + ": " + e.getMessage());
        }
      }
      JsonNode n;
      try {
        n = JsonOutput.parse(text);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("invalid --input JSON: " + e.getMessage());
      }
      if (n == null || !n.isObject()) {
        throw CliException.usage("invalid --input JSON: must be a JSON object");
      }
      return (ObjectNode) n;
    }
  }

  static Table table() {
    return new Table("RUN_ID", "RUN_NO", "APP", "STATUS", "VERSION", "QUEUED_AT");
  }

  static void row(Table t, JsonNode r) {
    t.row(
        text(r, "run_id"),
        text(r, "run_no"),
        text(r, "app_slug"),
        text(r, "status"),
        text(r, "version_no"),
        text(r, "queued_at"));
  }

  @Command(name = "list", description = "List the team's runs (active first, then newest).")
  static final class ListRuns extends ApiCommand {
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

    @Option(
        names = "--offset",
        paramLabel = "<n>",
        defaultValue = "0",
        description = "Rows to skip.")
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
  }

  @Command(name = "get", description = "Show one run.")
  static final class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
    String id;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      long runId = runId(id);
      JsonNode r = api().get(runPath(runId));
      if (json.json) {
        printJson(r);
        return ExitCodes.OK;
      }
      Table t =
          new Table(
              "RUN_ID",
              "RUN_NO",
              "APP",
              "STATUS",
              "VERSION",
              "RETRIES",
              "QUEUED_AT",
              "STARTED_AT",
              "FINISHED_AT");
      t.row(
          text(r, "run_id"),
          text(r, "run_no"),
          text(r, "app_slug"),
          text(r, "status"),
          text(r, "version_no"),
          text(r, "retry_count") + "/" + text(r, "max_retries"),
          text(r, "queued_at"),
          text(r, "started_at"),
          text(r, "finished_at"));
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cancel",
      description = "Cancel a run (queued: at once; running: via its runner).")
  static final class Cancel extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
    String id;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      long runId = runId(id);
      JsonNode r = api().postRetryable(runPath(runId) + "/cancel", null, null);
      if (json.json) {
        printJson(r);
      } else {
        out().println("Run " + runId + " status: " + text(r, "status"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "retry",
      description = "Queue a new run with the same app, version, input, priority and retries.")
  static final class Retry extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.")
    String id;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      long runId = runId(id);
      JsonNode old = api().get(runPath(runId));
      String slug = text(old, "app_slug");
      if (slug == null) {
        throw new CliException(
            "run " + runId + " has no app_slug in the server's answer",
            "bad_response",
            ExitCodes.ERROR);
      }
      ObjectNode body = JsonOutput.object();
      if (old.hasNonNull("input")) {
        body.set("input", old.get("input"));
      }
      // environment / retry_on_failure exist only on newer servers; copied when present.
      for (String f :
          List.of("version_no", "priority", "max_retries", "environment", "retry_on_failure")) {
        if (old.hasNonNull(f)) {
          body.set(f, old.get(f));
        }
      }
      JsonNode run =
          api()
              .postRetryable(
                  "/api/v1/apps/" + ApiClient.seg(slug) + "/runs",
                  body,
                  UUID.randomUUID().toString());
      if (json.json) {
        printJson(run);
      } else {
        out()
            .println(
                "Retry created: run #" + text(run, "run_no") + " (id=" + text(run, "run_id") + ")");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "logs",
      description = {
        "Print a run's log lines ([seq] STREAM line).",
        "With --follow: keep printing until the run ends, across retries; the exit code is the"
            + " run's outcome (0 completed, 1 failed/dead, 2 cancelled)."
      })
  static final class Logs extends ApiCommand {
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
      Duration every = interval(interval);
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
      Patience patience = new Patience();
      while (true) {
        // Run first, then logs: lines written before the run ended are read after seeing the end.
        JsonNode run;
        try {
          run = api().get(runPath(runId));
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

  @Command(
      name = "watch",
      description = {
        "Watch a run (default: the app's newest) until it ends, printing status changes and logs.",
        "Exit code: 0 completed, 1 failed/dead, 2 cancelled."
      })
  static final class Watch extends ApiCommand {
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
      Duration every = interval(interval);
      if (json.json && !statusOnly) {
        throw CliException.usage("--json requires --status-only");
      }
      long runId = explicitId != null ? explicitId : newestRun(requireApp(app));
      // With --json, stdout carries only the final run object; status lines go to stderr.
      var statusOut = json.json ? term().err() : out();
      LogTail tail = statusOnly ? null : new LogTail(api(), runId, out(), 0).raw(raw);
      String last = null;
      Patience patience = new Patience();
      while (true) {
        JsonNode run;
        try {
          run = api().get(runPath(runId));
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
}
