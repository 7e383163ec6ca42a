package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.AppStore;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Apps of a team. */
@ApplicationScoped
public class AppService {
  static final int MAX_DESCRIPTION = 10_000;

  private final AppStore apps;

  public AppService(AppStore apps) {
    this.apps = apps;
  }

  @Transactional
  public Views.AppView create(Caller caller, Requests.CreateApp req) {
    Slugs.require(req.slug());
    String d = req.description();
    if (d != null && d.codePointCount(0, d.length()) > MAX_DESCRIPTION) {
      throw ApiException.badRequest(
          "description must be at most " + MAX_DESCRIPTION + " characters");
    }
    if (d != null && d.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest("description must not contain NUL characters");
    }
    return ViewMapper.app(
        apps.insert(caller.teamId(), req.slug(), d)
            .orElseThrow(() -> new ApiException(409, "slug_taken", "app slug already exists")));
  }

  public Views.AppList list(Caller caller, Paging paging) {
    return new Views.AppList(
        apps.list(caller.teamId(), paging.limit(), paging.offset()).stream()
            .map(ViewMapper::app)
            .toList());
  }

  public Views.AppView get(Caller caller, String slug) {
    return ViewMapper.app(require(caller, slug));
  }

  AppStore.App require(Caller caller, String slug) {
    return apps.find(caller.teamId(), slug)
        .orElseThrow(() -> ApiException.notFound("app not found"));
  }
}
