package dev.minitower.api.schedules;

import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.model.api.ScheduleView;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/schedules[?app=]}: the team's schedules across its apps, next to fire first,
 * each with its latest tick (what the web UI's schedule lists show). Changes go through the per-app
 * resource.
 */
@Authenticated
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class TeamScheduleResource {
  private final CurrentCaller callers;
  private final ScheduleService schedules;

  public TeamScheduleResource(CurrentCaller callers, ScheduleService schedules) {
    this.callers = callers;
    this.schedules = schedules;
  }

  @GET
  public ScheduleView.TeamScheduleList list(@QueryParam("app") String app) {
    return schedules.listForTeam(callers.get(), app);
  }
}
