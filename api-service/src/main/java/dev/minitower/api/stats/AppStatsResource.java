package dev.minitower.api.stats;

import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.model.api.StatsViews;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * One app's aggregates: {@code GET /api/v1/apps/{app}/runs/stats?bucket=&since=} (same shape as the
 * team's) and {@code GET /api/v1/apps/{app}/runs/stats/durations?limit=} (one point per run).
 */
@Authenticated
@Path("/api/v1/apps/{app}/runs/stats")
@Produces(MediaType.APPLICATION_JSON)
public class AppStatsResource {
  private final CurrentCaller callers;
  private final StatsService stats;

  public AppStatsResource(CurrentCaller callers, StatsService stats) {
    this.callers = callers;
    this.stats = stats;
  }

  @GET
  public StatsViews.RunStats app(
      @PathParam("app") String app,
      @QueryParam("bucket") String bucket,
      @QueryParam("since") String since) {
    return stats.runStats(callers.get(), app, bucket, since);
  }

  @GET
  @Path("/durations")
  public StatsViews.DurationList durations(
      @PathParam("app") String app, @QueryParam("limit") String limit) {
    return stats.durations(callers.get(), app, limit);
  }
}
