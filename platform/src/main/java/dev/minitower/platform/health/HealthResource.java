package dev.minitower.platform.health;

import dev.minitower.platform.error.ErrorMappers;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The original's probes: {@code /health} is liveness and checks nothing external; {@code /ready} is
 * readiness and answers 503 when the database does not answer within two seconds. Quarkus' {@code
 * /q/health/live} and {@code /q/health/ready} exist beside them.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
  private static final Logger LOG = Logger.getLogger(HealthResource.class);
  private static final Map<String, String> OK = Map.of("status", "ok");

  @Inject AgroalDataSource dataSource;

  @GET
  @Path("health")
  public Map<String, String> health() {
    return OK;
  }

  @GET
  @Path("ready")
  @Blocking
  public Response ready() {
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(2)) {
        return Response.ok(OK).build();
      }
    } catch (Exception e) {
      LOG.debugf("readiness check failed: %s", e.getMessage());
    }
    return ErrorMappers.envelope(503, "internal", "db not ready");
  }
}
