package dev.minitower.api.stats;

import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.model.api.StatsViews;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Team-wide run aggregates: {@code GET /api/v1/runs/stats?bucket=hour|day&since=} and {@code GET
 * /api/v1/runs/stats/apps?since=&limit=} (the slowest apps). A class of its own, with the longer
 * literal path, so {@code /runs/stats} never reaches {@code /runs/{run}}.
 */
@Authenticated
@Path("/api/v1/runs/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
  private final CurrentCaller callers;
  private final StatsService stats;

  public StatsResource(CurrentCaller callers, StatsService stats) {
    this.callers = callers;
    this.stats = stats;
  }

  @GET
  public StatsViews.RunStats team(
      @QueryParam("bucket") String bucket, @QueryParam("since") String since) {
    return stats.runStats(callers.get(), null, bucket, since);
  }

  @GET
  @Path("/apps")
  public StatsViews.SlowestApps slowestApps(
      @QueryParam("since") String since, @QueryParam("limit") String limit) {
    return stats.slowestApps(callers.get(), since, limit);
  }
}
