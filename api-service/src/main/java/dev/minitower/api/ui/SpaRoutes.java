package dev.minitower.api.ui;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Client-side routes of the web UI ({@code /apps/etl}, {@code /runs/42}) answer the UI's
 * index.html, so a reload or a shared link works. Only for browser navigations (GET accepting HTML)
 * outside the API and probe paths and without a file extension; everything else still gets the JSON
 * 404 of the platform.
 */
@ApplicationScoped
public class SpaRoutes {
  /** After Quinoa's static files (1100), before the REST layer, which only serves API paths. */
  static final int SPA_ROUTE_ORDER = 2000;

  private static final List<String> NOT_UI =
      List.of("/api/", "/q/", "/metrics", "/health", "/ready", "/openapi", "/swagger-ui");

  void install(@Observes Router router) {
    router
        .route()
        .order(SPA_ROUTE_ORDER)
        .handler(
            rc -> {
              String path = rc.normalizedPath();
              String accept = rc.request().getHeader("Accept");
              boolean browserNavigation =
                  rc.request().method() == HttpMethod.GET
                      && accept != null
                      && accept.contains("text/html");
              boolean uiPath =
                  NOT_UI.stream().noneMatch(path::startsWith)
                      && !path.substring(path.lastIndexOf('/') + 1).contains(".")
                      && !"/".equals(path);
              if (browserNavigation && uiPath) {
                rc.reroute("/");
              } else {
                rc.next();
              }
            });
  }
}
