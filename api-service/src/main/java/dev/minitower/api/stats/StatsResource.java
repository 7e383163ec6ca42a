package dev.minitower.api.stats;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.model.api.StatsViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Team-wide run aggregates: {@code GET /api/v1/runs/stats?bucket=hour|day&since=} and {@code GET
 * /api/v1/runs/stats/apps?since=&limit=} (the slowest apps). A class of its own, with the longer
 * literal path, so {@code /runs/stats} never reaches {@code /runs/{run}}.
 */
@Path("/api/v1/runs/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
  private final TeamAuthenticator auth;
  private final StatsService stats;

  public StatsResource(TeamAuthenticator auth, StatsService stats) {
    this.auth = auth;
    this.stats = stats;
  }

  @GET
  public StatsViews.RunStats team(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("bucket") String bucket,
      @QueryParam("since") String since) {
    return stats.runStats(auth.authenticate(authorization), null, bucket, since);
  }

  @GET
  @Path("/apps")
  public StatsViews.SlowestApps slowestApps(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit) {
    return stats.slowestApps(auth.authenticate(authorization), since, limit);
  }
}
