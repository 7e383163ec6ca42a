package dev.minitower.api.stats;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.rest.PathIds;
import dev.minitower.model.api.StatsViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/runs/{run}/timeline}: every attempt's queued, leased, started, finished. */
@Path("/api/v1/runs/{run}/timeline")
@Produces(MediaType.APPLICATION_JSON)
public class RunTimelineResource {
  private final TeamAuthenticator auth;
  private final StatsService stats;

  public RunTimelineResource(TeamAuthenticator auth, StatsService stats) {
    this.auth = auth;
    this.stats = stats;
  }

  @GET
  public StatsViews.RunTimeline timeline(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("run") String run) {
    return stats.timeline(auth.authenticate(authorization), PathIds.parse(run, "invalid run ID"));
  }
}
