package dev.minitower.platform.health;

import dev.minitower.platform.error.ErrorBody;
import io.agroal.api.AgroalDataSource;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import org.jboss.logging.Logger;

/**
 * The original's probes, served on the management port (never on the public port, which answers 404
 * for them): {@code /health} is liveness and checks nothing external; {@code /ready} is readiness
 * and answers 503 {@code db not ready} when the database does not answer within two seconds.
 * Prometheus' {@code /metrics} and Quarkus' {@code /q/health/*} share that port. Other methods than
 * GET answer 405 with the JSON envelope, as in the original.
 */
@ApplicationScoped
public class ManagementRoutes {
  private static final Logger LOG = Logger.getLogger(ManagementRoutes.class);
  private static final String OK = "{\"status\":\"ok\"}\n";

  @Inject AgroalDataSource dataSource;

  void install(@Observes ManagementInterface management) {
    Router router = management.router();
    router.route("/health").handler(rc -> onlyGet(rc, () -> json(rc, 200, OK)));
    // Ordered = false: readiness checks of concurrent scrapes need not wait for each other.
    router.route("/ready").blockingHandler(rc -> onlyGet(rc, () -> ready(rc)), false);
  }

  private void ready(RoutingContext rc) {
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(2)) {
        json(rc, 200, OK);
        return;
      }
    } catch (Exception e) {
      LOG.debugf("readiness check failed: %s", e.getMessage());
    }
    json(rc, 503, envelope("internal", "db not ready"));
  }

  private static void onlyGet(RoutingContext rc, Runnable answer) {
    if (rc.request().method() == HttpMethod.GET) {
      answer.run();
    } else {
      json(rc, 405, envelope("method_not_allowed", "method not allowed"));
    }
  }

  private static String envelope(String code, String message) {
    return Json.encode(ErrorBody.of(code, message)) + "\n";
  }

  private static void json(RoutingContext rc, int status, String body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
