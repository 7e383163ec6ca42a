package dev.minitower.api.service;

import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.CrudSession;
import dev.minitower.api.store.VersionStore;
import dev.minitower.platform.error.ApiException;
import dev.minitower.store.artifacts.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;

/**
 * The write of a new version: artifact bytes (deduplicated) and the version row commit together,
 * with the app row locked so that concurrent uploads get consecutive version numbers.
 */
@ApplicationScoped
public class VersionWriter {
  private final AppStore apps;
  private final VersionStore versions;
  private final ArtifactStore artifacts;
  private final CrudSession crud;

  public VersionWriter(
      AppStore apps, VersionStore versions, ArtifactStore artifacts, CrudSession crud) {
    this.apps = apps;
    this.versions = versions;
    this.artifacts = artifacts;
    this.crud = crud;
  }

  /** An inspected upload ready to be stored. */
  public record Upload(
      Path file,
      String sha256,
      long size,
      String entrypoint,
      Integer timeoutSeconds,
      String paramsSchemaJson,
      String towerfileToml,
      String importPathsJson,
      java.util.List<String> secretNames) {}

  @Transactional
  public VersionStore.Version store(long teamId, String appSlug, Upload upload) {
    AppStore.App app =
        apps.findForUpdate(teamId, appSlug)
            .orElseThrow(() -> ApiException.notFound("app not found"));
    crud.flushBeforeRunStore();
    artifacts.put(upload.file(), upload.sha256(), upload.size());
    return versions.insertNext(
        new VersionStore.NewVersion(
            app.id(),
            upload.sha256(),
            upload.size(),
            upload.entrypoint(),
            upload.timeoutSeconds(),
            upload.paramsSchemaJson(),
            upload.towerfileToml(),
            upload.importPathsJson(),
            upload.secretNames()));
  }
}
