package dev.minitower.api.stats;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.model.api.StatsViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/environments/overview}: the team's environments with queue depth and the
 * runners serving each (the list of {@code GET /environments} stays as it is).
 */
@Path("/api/v1/environments/overview")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentOverviewResource {
  private final TeamAuthenticator auth;
  private final StatsService stats;

  public EnvironmentOverviewResource(TeamAuthenticator auth, StatsService stats) {
    this.auth = auth;
    this.stats = stats;
  }

  @GET
  public StatsViews.EnvironmentOverviewList overview(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return stats.environments(auth.authenticate(authorization));
  }
}
