package dev.minitower.api.stats;

import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.model.api.StatsViews;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/environments/overview}: the team's environments with queue depth and the
 * runners serving each (the list of {@code GET /environments} stays as it is).
 */
@Authenticated
@Path("/api/v1/environments/overview")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentOverviewResource {
  private final CurrentCaller callers;
  private final StatsService stats;

  public EnvironmentOverviewResource(CurrentCaller callers, StatsService stats) {
    this.callers = callers;
    this.stats = stats;
  }

  @GET
  public StatsViews.EnvironmentOverviewList overview() {
    return stats.environments(callers.get());
  }
}
