package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.http.ApiException;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.TerminalText;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.model.artifact.ArtifactPackager;
import dev.minitower.model.hash.Sha256;
import dev.minitower.model.towerfile.Towerfile;
import dev.minitower.model.towerfile.TowerfileException;
import dev.minitower.model.towerfile.TowerfileParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code deploy}: package the project described by its Towerfile and upload it as a new version of
 * the app named in the Towerfile, creating the app if needed.
 *
 * <p>Parsing, source-glob resolution and packaging are shared-model's ({@link TowerfileParser},
 * {@link ArtifactPackager}), the same code the server validates uploads with.
 */
@Command(
    name = "deploy",
    description = {
      "Package the project in --dir (Towerfile + source globs) and upload it as a new version.",
      "The app is the Towerfile's app.name; it is created if it does not exist."
    })
final class DeployCommand extends ApiCommand {
  static final String ARTIFACT_NAME = "artifact.tar.gz";

  @Option(
      names = "--dir",
      paramLabel = "<dir>",
      defaultValue = ".",
      description = "Project directory containing the Towerfile (default: .).")
  Path dir;

  @Option(
      names = "--dry-run",
      description = "Package and list the archive's entries; upload nothing (no server needed).")
  boolean dryRun;

  @Mixin JsonOption json;

  @Override
  protected int execute() {
    Path towerfilePath = dir.resolve("Towerfile");
    String text;
    try {
      text = Files.readString(towerfilePath, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw towerfileError("cannot open Towerfile: " + describe(e));
    }
    Towerfile towerfile = parse(text);
    String app = towerfile.appName();

    byte[] artifact = pack(towerfile);
    String sha = Sha256.hex(artifact);
    if (dryRun) {
      return printDryRun(app, artifact, sha);
    }
    // Connection problems are reported only after the local checks passed.
    ApiClient api = api();
    if (!json.json) {
      out().println("Deploying app \"" + app + "\" from " + dir);
      out()
          .println(
              "Artifact packaged (" + artifact.length + " bytes, sha256:" + shortSha(sha) + ")");
      out().flush();
    }

    ensureApp(api, app);
    JsonNode version = VersionsCommand.upload(api, term(), app, ARTIFACT_NAME, artifact);
    String serverSha = text(version, "artifact_sha256");
    if (serverSha != null && !serverSha.equalsIgnoreCase(sha)) {
      term().err().println("warning: server sha256 " + serverSha + " differs from packaged " + sha);
    }
    if (json.json) {
      ObjectNode o =
          JsonOutput.object()
              .put("app_slug", app)
              .put("artifact_bytes", artifact.length)
              .put("packaged_sha256", sha);
      o.set("version", version);
      printJson(o);
    } else {
      out()
          .println(
              "Version "
                  + text(version, "version_no")
                  + " created (sha256:"
                  + shortSha(serverSha != null ? serverSha : sha)
                  + ")");
    }
    return ExitCodes.OK;
  }

  private static Towerfile parse(String text) {
    try {
      return TowerfileParser.parse(text);
    } catch (TowerfileException e) {
      if (e.kind() == TowerfileException.Kind.PARSE) {
        String detail = e.detail();
        String prefix = "parsing towerfile: ";
        if (detail.startsWith(prefix)) {
          detail = detail.substring(prefix.length());
        }
        throw towerfileError("parsing Towerfile: " + detail);
      }
      throw towerfileError("validating Towerfile: " + e.detail());
    }
  }

  private byte[] pack(Towerfile towerfile) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      ArtifactPackager.pack(dir, towerfile, buf);
    } catch (TowerfileException e) {
      throw towerfileError("packaging artifact: " + e.detail());
    } catch (Exception e) {
      throw towerfileError("packaging artifact: " + describe(e));
    }
    return buf.toByteArray();
  }

  private int printDryRun(String app, byte[] artifact, String sha) {
    List<String> entries = entryNames(artifact);
    if (json.json) {
      ObjectNode o =
          JsonOutput.object()
              .put("app_slug", app)
              .put("artifact_bytes", artifact.length)
              .put("packaged_sha256", sha);
      ArrayNode arr = o.putArray("entries");
      entries.forEach(arr::add);
      printJson(o);
    } else {
      out()
          .println("Would deploy app \"" + app + "\" from " + dir + " (dry run, nothing uploaded)");
      out()
          .println(
              "Artifact packaged (" + artifact.length + " bytes, sha256:" + shortSha(sha) + ")");
      for (String e : entries) {
        out().println("  " + TerminalText.escape(e));
      }
    }
    return ExitCodes.OK;
  }

  /** Entry names in archive order, read back from the bytes that would be uploaded. */
  static List<String> entryNames(byte[] artifact) {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(new ByteArrayInputStream(artifact)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.isSymbolicLink() ? e.getName() + " -> " + e.getLinkName() : e.getName());
      }
    } catch (IOException e) {
      throw towerfileError("packaging artifact: cannot read back the archive: " + e.getMessage());
    }
    return names;
  }

  private void ensureApp(ApiClient api, String app) {
    try {
      api.get("/api/v1/apps/" + ApiClient.seg(app));
    } catch (ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
      Views.AppView created =
          ApiClient.as(
              api.post("/api/v1/apps", ApiClient.body(new Requests.CreateApp(app, null))),
              Views.AppView.class);
      if (!json.json) {
        out().println("App \"" + app + "\" created (id=" + created.appId() + ")");
      }
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return m + ": no such file";
    }
    return m == null ? e.toString() : m;
  }

  private static CliException towerfileError(String message) {
    return new CliException(message, "towerfile", ExitCodes.ERROR);
  }
}
