package dev.minitower.api.http;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.platform.error.ErrorBody;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The outer layer of the API, ahead of routing: CORS as the original (exact-match allow-list from
 * {@code MINITOWER_CORS_ORIGINS}) and the request body caps of api.md §0.7, answered with 413
 * instead of the original's 400 (gap 24). A preflight from an origin not on the list is refused
 * with 403 instead of the original's bare 204 (gap 10).
 */
@ApplicationScoped
public class EdgeFilter {
  static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
  static final String ALLOW_HEADERS = "Authorization, Content-Type, X-Lease-Token, Idempotency-Key";

  private final Set<String> origins;
  private final long requestCap;
  private final long artifactCap;

  public EdgeFilter(ApiConfig config) {
    this.origins =
        config
            .corsOrigins()
            .map(
                s ->
                    Arrays.stream(s.split(","))
                        .map(String::strip)
                        .filter(o -> !o.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
            .orElse(Set.of());
    this.requestCap = config.maxRequestBodySize();
    this.artifactCap = config.maxArtifactSize();
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    // A chunked body over the server's absolute limit fails the request with 413 while it is read.
    router.errorHandler(413, rc -> reject(rc, 413, "payload_too_large", "request body too large"));
  }

  /**
   * The body cap of a request: uploads to a path ending in {@code /versions} get the larger one.
   */
  long capFor(HttpMethod method, String path) {
    return method == HttpMethod.POST && path != null && path.endsWith("/versions")
        ? artifactCap
        : requestCap;
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    HttpServerResponse response = rc.response();
    String origin = request.getHeader("Origin");
    if (!origins.isEmpty() && origin != null) {
      boolean allowed = origins.contains(origin);
      if (allowed) {
        response.headers().add("Vary", "Origin");
        response.putHeader("Access-Control-Allow-Origin", origin);
        response.putHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
        response.putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
        response.putHeader("Access-Control-Max-Age", "86400");
      }
      if (request.method() == HttpMethod.OPTIONS) {
        if (allowed) {
          response.setStatusCode(204).end();
        } else {
          reject(rc, 403, "forbidden", "origin not allowed");
        }
        return;
      }
    }
    String length = request.getHeader("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        reject(rc, 400, "invalid_request", "invalid Content-Length");
        return;
      }
      if (declared > capFor(request.method(), request.path())) {
        response.putHeader("Connection", "close");
        reject(rc, 413, "payload_too_large", "request body too large");
        return;
      }
    }
    rc.next();
  }

  private static void reject(RoutingContext rc, int status, String code, String message) {
    if (rc.response().ended() || rc.response().headWritten()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(Json.encode(ErrorBody.of(code, message)) + "\n");
  }
}
