package dev.minitower.platform.http;

import dev.minitower.platform.error.ErrorBody;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Unknown paths answer the JSON envelope instead of a text or HTML page (the original's gap 29), on
 * the public port and on the management port.
 */
@ApplicationScoped
public class NotFoundFallback {

  void install(@Observes Router router) {
    installOn(router);
  }

  void installManagement(@Observes ManagementInterface management) {
    installOn(management.router());
  }

  private static void installOn(Router router) {
    router
        .route()
        .last()
        .handler(
            rc ->
                rc.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end(Json.encode(ErrorBody.of("not_found", "no such endpoint")) + "\n"));
  }
}
