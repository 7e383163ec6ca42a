package dev.minitower.platform.health;

import dev.minitower.platform.error.ErrorBody;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The original's probes, served on the management port (never on the public port, which answers 404
 * for them), as views of SmallRye Health: {@code /health} is the {@code @Liveness} checks ({@link
 * ProcessLiveness}: nothing external) and {@code /ready} the {@code @Readiness} ones ({@link
 * DatabaseReadiness}), the same checks {@code /q/health/live} and {@code /q/health/ready} run. Up
 * answers 200 {@code {"status":"ok"}}; down answers 503 with the JSON envelope naming the checks
 * that failed ({@code db not ready}). Prometheus' {@code /metrics} shares that port. Other methods
 * than GET answer 405 with the JSON envelope, as in the original.
 */
@ApplicationScoped
public class ManagementRoutes {
  private static final String OK = "{\"status\":\"ok\"}\n";

  @Inject SmallRyeHealthReporter health;

  void install(@Observes ManagementInterface management) {
    Router router = management.router();
    // Ordered = false: checks of concurrent scrapes need not wait for each other.
    router
        .route("/health")
        .blockingHandler(rc -> onlyGet(rc, () -> probe(rc, health::getLiveness, "live")), false);
    router
        .route("/ready")
        .blockingHandler(rc -> onlyGet(rc, () -> probe(rc, health::getReadiness, "ready")), false);
  }

  private static void probe(RoutingContext rc, Supplier<SmallRyeHealth> checks, String state) {
    SmallRyeHealth result = checks.get();
    if (!result.isDown()) {
      json(rc, 200, OK);
      return;
    }
    json(rc, 503, envelope("internal", String.join(", ", down(result)) + " not " + state));
  }

  /** Names of the checks that are down. */
  private static List<String> down(SmallRyeHealth result) {
    List<String> names = new ArrayList<>();
    JsonValue checks = result.getPayload().get("checks");
    if (checks != null && checks.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue v : checks.asJsonArray()) {
        JsonObject check = v.asJsonObject();
        if ("DOWN".equals(check.getString("status", ""))) {
          names.add(check.getString("name", "?"));
        }
      }
    }
    return names.isEmpty() ? List.of("service") : names;
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
