package dev.minitower.platform.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Browser hardening headers on every answer of every service (the web UI, the API, errors): a
 * Content Security Policy without inline scripts that also forbids framing, {@code nosniff} and no
 * referrer. Swagger UI's page needs an inline script, so under its path only framing is forbidden.
 */
@ApplicationScoped
public class SecurityHeaders {
  /** The UI is a Vite build: module scripts and stylesheets from the same origin only. */
  public static final String DEFAULT_CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private final String csp;
  private final String swaggerPath;

  SecurityHeaders(
      @ConfigProperty(name = "minitower.content-security-policy", defaultValue = DEFAULT_CSP)
          String csp,
      @ConfigProperty(name = "quarkus.swagger-ui.path", defaultValue = "/q/swagger-ui")
          String swaggerPath) {
    this.csp = csp;
    this.swaggerPath = swaggerPath;
  }

  void install(@Observes Router router) {
    // First of all, so even answers refused by the guards carry the headers.
    router.route().order(Integer.MIN_VALUE).handler(this::add);
  }

  private void add(RoutingContext rc) {
    MultiMap headers = rc.response().headers();
    String path = rc.request().path();
    boolean swagger = path != null && path.startsWith(swaggerPath);
    headers.set("Content-Security-Policy", swagger ? "frame-ancestors 'none'" : csp);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    rc.next();
  }
}
