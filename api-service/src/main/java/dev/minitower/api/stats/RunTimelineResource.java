package dev.minitower.api.stats;

import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.rest.PathIds;
import dev.minitower.model.api.StatsViews;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/runs/{run}/timeline}: every attempt's queued, leased, started, finished. */
@Authenticated
@Path("/api/v1/runs/{run}/timeline")
@Produces(MediaType.APPLICATION_JSON)
public class RunTimelineResource {
  private final CurrentCaller callers;
  private final StatsService stats;

  public RunTimelineResource(CurrentCaller callers, StatsService stats) {
    this.callers = callers;
    this.stats = stats;
  }

  @GET
  public StatsViews.RunTimeline timeline(@PathParam("run") String run) {
    return stats.timeline(callers.get(), PathIds.parse(run, "invalid run ID"));
  }
}
