package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.rest.Views;
import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.VersionStore;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/** Versions of an app: list, get and upload. */
@ApplicationScoped
public class VersionService {
  private final AppService apps;
  private final VersionStore versions;

  public VersionService(AppService apps, VersionStore versions) {
    this.apps = apps;
    this.versions = versions;
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
}
