package dev.minitower.api.http;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.platform.http.RequestGuards;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS as the original: an exact-match allow-list from {@code MINITOWER_CORS_ORIGINS}. An allowed
 * origin gets the CORS headers and its preflight a 204; every other preflight goes on to the
 * platform's refusal (403 {@code forbidden}, no CORS headers, gap 10), also when CORS is not
 * configured at all. The body caps are {@link ApiBodyCaps}, applied by the platform's guards.
 */
@ApplicationScoped
public class EdgeFilter {
  static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
  static final String ALLOW_HEADERS = "Authorization, Content-Type, X-Lease-Token, Idempotency-Key";

  private final Set<String> origins;

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
  }

  void install(@Observes Router router) {
    router.route().order(RequestGuards.CORS_ORDER).handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    HttpServerResponse response = rc.response();
    String origin = request.getHeader("Origin");
    if (origin != null && origins.contains(origin)) {
      response.headers().add("Vary", "Origin");
      response.putHeader("Access-Control-Allow-Origin", origin);
      response.putHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
      response.putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
      response.putHeader("Access-Control-Max-Age", "86400");
      if (request.method() == HttpMethod.OPTIONS) {
        response.setStatusCode(204).end();
        return;
      }
    }
    rc.next();
  }
}
