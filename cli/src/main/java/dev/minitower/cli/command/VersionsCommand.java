package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.shortSha;
import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.Terminal;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.ProgressBar;
import dev.minitower.cli.output.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code versions list|get|upload}. */
@Command(
    name = "versions",
    description = "List, show and upload app versions.",
    subcommands = {
      VersionsCommand.ListVersions.class,
      VersionsCommand.Get.class,
      VersionsCommand.Upload.class
    })
final class VersionsCommand extends GroupCommand {

  static Table table() {
    return new Table("VERSION_NO", "VERSION_ID", "ENTRYPOINT", "SHA256", "CREATED_AT");
  }

  static void row(Table t, JsonNode v) {
    t.row(
        text(v, "version_no"),
        text(v, "version_id"),
        text(v, "entrypoint"),
        shortSha(text(v, "artifact_sha256")),
        text(v, "created_at"));
  }

  static JsonNode list(ApiClient api, String app) {
    return api.get("/api/v1/apps/" + ApiClient.seg(app) + "/versions");
  }

  /** Uploads an artifact to {@code app} with a progress bar on stderr; returns the Version. */
  static JsonNode upload(
      ApiClient api, Terminal term, String app, String filename, byte[] artifact) {
    ProgressBar bar = new ProgressBar(term.err(), "Uploading", artifact.length, term.interactive());
    return api.uploadArtifact(
        "/api/v1/apps/" + ApiClient.seg(app) + "/versions", filename, artifact, bar);
  }

  @Command(name = "list", description = "List the versions of an app, newest first.")
  static final class ListVersions extends ApiCommand {
    @Option(names = "--app", paramLabel = "<slug>", description = "App (default: profile app).")
    String app;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      JsonNode resp = list(api(), requireApp(app));
      if (json.json) {
        printJson(resp);
        return ExitCodes.OK;
      }
      Table t = table();
      for (JsonNode v : resp.path("versions")) {
        row(t, v);
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Show one version of an app.")
  static final class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<version-no>", description = "Version number.")
    String versionNo;

    @Option(names = "--app", paramLabel = "<slug>", description = "App (default: profile app).")
    String app;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      long n = positiveId(versionNo, "version number must be a positive integer");
      String slug = requireApp(app);
      for (JsonNode v : list(api(), slug).path("versions")) {
        if (v.path("version_no").asLong() == n) {
          if (json.json) {
            printJson(v);
          } else {
            Table t = table();
            row(t, v);
            t.print(out());
          }
          return ExitCodes.OK;
        }
      }
      throw new CliException("version " + n + " not found", "not_found", ExitCodes.NOT_FOUND);
    }
  }

  @Command(
      name = "upload",
      description = "Upload a hand-made artifact (tar.gz with a Towerfile) as a new version.")
  static final class Upload extends ApiCommand {
    @Option(names = "--app", paramLabel = "<slug>", description = "App (default: profile app).")
    String app;

    @Option(names = "--file", paramLabel = "<path>", description = "The .tar.gz to upload.")
    Path file;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      if (file == null) {
        throw CliException.usage("--file is required");
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new CliException("reading " + file + ": " + e, "io", ExitCodes.ERROR, e);
      }
      String slug = requireApp(app);
      JsonNode v = upload(api(), term(), slug, file.getFileName().toString(), bytes);
      if (json.json) {
        printJson(v);
      } else {
        out()
            .println(
                "Uploaded version "
                    + text(v, "version_no")
                    + " for app \""
                    + slug
                    + "\" (sha256:"
                    + shortSha(text(v, "artifact_sha256"))
                    + ")");
      }
      return ExitCodes.OK;
    }
  }
}
