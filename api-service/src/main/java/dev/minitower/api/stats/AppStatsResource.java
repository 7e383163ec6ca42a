package dev.minitower.api.stats;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.model.api.StatsViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * One app's aggregates: {@code GET /api/v1/apps/{app}/runs/stats?bucket=&since=} (same shape as the
 * team's) and {@code GET /api/v1/apps/{app}/runs/stats/durations?limit=} (one point per run).
 */
@Path("/api/v1/apps/{app}/runs/stats")
@Produces(MediaType.APPLICATION_JSON)
public class AppStatsResource {
  private final TeamAuthenticator auth;
  private final StatsService stats;

  public AppStatsResource(TeamAuthenticator auth, StatsService stats) {
    this.auth = auth;
    this.stats = stats;
  }

  @GET
  public StatsViews.RunStats app(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("app") String app,
      @QueryParam("bucket") String bucket,
      @QueryParam("since") String since) {
    return stats.runStats(auth.authenticate(authorization), app, bucket, since);
  }

  @GET
  @Path("/durations")
  public StatsViews.DurationList durations(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("app") String app,
      @QueryParam("limit") String limit) {
    return stats.durations(auth.authenticate(authorization), app, limit);
  }
}
