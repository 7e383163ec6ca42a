package dev.minitower.platform.health;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The one readiness check of every service: a pooled connection answers within two seconds. Kafka
 * is deliberately not part of it (an outbox relay that cannot publish keeps its rows and retries;
 * the scheduler stays ready, see KafkaFaultIT). Served as {@code /ready} ({@link ManagementRoutes})
 * and {@code /q/health/ready}; Agroal's own check is off so the two cannot disagree.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
  /** The check's name; {@code /ready} answers {@code "db not ready"} when it is down. */
  public static final String NAME = "db";

  private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class);

  private final AgroalDataSource dataSource;

  DatabaseReadiness(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public HealthCheckResponse call() {
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(2)) {
        return HealthCheckResponse.up(NAME);
      }
    } catch (Exception e) {
      LOG.debugf("readiness check failed: %s", e.getMessage());
    }
    return HealthCheckResponse.down(NAME);
  }
}
