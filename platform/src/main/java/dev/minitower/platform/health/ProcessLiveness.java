package dev.minitower.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness checks nothing external: a process that answers is alive (restarting it would not bring
 * the database or the broker back). Served as {@code /health} ({@link ManagementRoutes}) and {@code
 * /q/health/live}.
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {
  public static final String NAME = "process";

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up(NAME);
  }
}
