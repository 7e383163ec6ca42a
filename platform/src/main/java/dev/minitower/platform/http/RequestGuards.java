package dev.minitower.platform.http;

import dev.minitower.platform.error.ErrorBody;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks every service makes before any handler reads the request: a credential header sent twice
 * is ambiguous (a proxy might pick the other one), so it is refused (400); a declared body larger
 * than the server's cap is refused at once with the JSON envelope (413) instead of being read.
 */
@ApplicationScoped
public class RequestGuards {
  private static final List<String> SINGLE_HEADERS = List.of("Authorization", "X-Lease-Token");

  private final long maxBodyBytes;

  RequestGuards(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize maxBody) {
    this.maxBodyBytes = maxBody.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
  }

  private void check(RoutingContext rc) {
    for (String header : SINGLE_HEADERS) {
      if (rc.request().headers().getAll(header).size() > 1) {
        reject(rc, 400, "invalid_request", header + " must be sent once");
        return;
      }
    }
    String length = rc.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          reject(rc, 413, "payload_too_large", "request body too large");
          return;
        }
      } catch (NumberFormatException e) {
        reject(rc, 400, "invalid_request", "invalid Content-Length");
        return;
      }
    }
    rc.next();
  }

  private static void reject(RoutingContext rc, int status, String code, String message) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(Json.encode(ErrorBody.of(code, message)) + "\n");
  }
}
