package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.params.ParamConverter;
import dev.minitower.model.api.Requests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Queue a run of an app's latest (or given) version.")
final class RunsCreateCommand extends ApiCommand {
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

  @Option(names = "--max-retries", paramLabel = "<n>", description = "Retries after a lost lease.")
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
    ObjectNode body =
        ApiClient.body(
            new Requests.CreateRun(
                inputNode,
                version == null ? null : version.longValue(),
                priority == null ? null : priority.longValue(),
                maxRetries == null ? null : maxRetries.longValue(),
                environment != null && !environment.isBlank() ? environment.trim() : null,
                retryOnFailure ? Boolean.TRUE : null));
    String key =
        idempotencyKey == null || idempotencyKey.isBlank()
            ? UUID.randomUUID().toString()
            : idempotencyKey.trim();
    JsonNode run = api().postRetryable("/api/v1/apps/" + ApiClient.seg(slug) + "/runs", body, key);
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
      if (version != null ? no == version : best == null || no > best.path("version_no").asLong()) {
        best = v;
      }
    }
    if (version != null && best == null) {
      throw new CliException("version " + version + " not found", "not_found", ExitCodes.NOT_FOUND);
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
