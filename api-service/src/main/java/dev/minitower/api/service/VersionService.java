package dev.minitower.api.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.VersionStore;
import dev.minitower.model.api.Views;
import dev.minitower.model.artifact.ArchiveContents;
import dev.minitower.model.artifact.ArchiveException;
import dev.minitower.model.artifact.ArchiveInspector;
import dev.minitower.model.artifact.ArchiveLimits;
import dev.minitower.model.hash.Sha256;
import dev.minitower.model.schema.ParamsSchema;
import dev.minitower.model.towerfile.ProjectPaths;
import dev.minitower.model.towerfile.Towerfile;
import dev.minitower.model.towerfile.TowerfileException;
import dev.minitower.model.towerfile.TowerfileParser;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.jboss.logging.Logger;

/**
 * Versions of an app: list, get and upload. An upload is checked completely before anything is
 * written (gaps 8, 9, 20): the whole archive against the safety rules of shared-model's {@link
 * ArchiveInspector}, the Towerfile against its rules, its {@code app.name} against the URL's app,
 * and its script against the archive's files. Only then are the bytes and the version row stored,
 * in one transaction ({@link VersionWriter}).
 */
@ApplicationScoped
public class VersionService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = Logger.getLogger(VersionService.class);

  private final AppService apps;
  private final VersionStore versions;
  private final VersionWriter writer;

  public VersionService(AppService apps, VersionStore versions, VersionWriter writer) {
    this.apps = apps;
    this.versions = versions;
    this.writer = writer;
  }

  public Views.VersionList list(Caller caller, String appSlug, Paging paging) {
    AppStore.App app = apps.require(caller, appSlug);
    return new Views.VersionList(
        versions.list(app.id(), paging.limit(), paging.offset()).stream()
            .map(ViewMapper::version)
            .toList());
  }

  public Views.VersionView get(Caller caller, String appSlug, long versionNo) {
    AppStore.App app = apps.require(caller, appSlug);
    return ViewMapper.version(
        versions
            .find(app.id(), versionNo)
            .orElseThrow(() -> ApiException.notFound("version not found")));
  }

  /** Stores {@code file} (the spooled multipart part) as the app's next version. */
  public Views.VersionView upload(Caller caller, String appSlug, Path file) {
    apps.require(caller, appSlug);
    if (file == null) {
      throw ApiException.badRequest("artifact file is required");
    }
    long size;
    String sha256;
    ArchiveContents contents;
    try {
      size = Files.size(file);
      sha256 = sha256(file);
      try (InputStream in = Files.newInputStream(file)) {
        contents = ArchiveInspector.inspect(in, ArchiveLimits.defaults());
      }
    } catch (ArchiveException e) {
      throw new ApiException(400, e.code(), e.message());
    } catch (IOException e) {
      LOG.warnf(e, "reading uploaded artifact %s", file);
      throw new ApiException(500, "internal", "failed to read artifact");
    }
    Towerfile towerfile;
    try {
      towerfile = TowerfileParser.parse(contents.towerfileText());
    } catch (TowerfileException e) {
      throw new ApiException(400, e.code(), e.message());
    }
    if (!towerfile.appName().equals(appSlug)) {
      throw invalidTowerfile(
          "app.name \"" + towerfile.appName() + "\" does not match the app \"" + appSlug + "\"");
    }
    String script = ProjectPaths.clean(towerfile.script());
    if (!contents.fileNames().contains(script)) {
      throw invalidTowerfile(
          "app.script \"" + towerfile.script() + "\" is not a file in the artifact");
    }
    var schema = ParamsSchema.fromParameters(towerfile.parameters());
    VersionStore.Version stored =
        writer.store(
            caller.teamId(),
            appSlug,
            new VersionWriter.Upload(
                file,
                sha256,
                size,
                towerfile.script(),
                towerfile.timeoutSeconds(),
                schema == null ? null : schema.toString(),
                contents.towerfileText(),
                JSON.valueToTree(towerfile.importPaths()).toString(),
                towerfile.secrets()));
    return ViewMapper.version(stored);
  }

  private static ApiException invalidTowerfile(String detail) {
    return new ApiException(400, TowerfileException.CODE, "invalid Towerfile: " + detail);
  }

  /** The SHA-256 of the file, read in a streaming pass. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return Sha256.hex(digest);
  }
}
