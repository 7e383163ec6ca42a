package dev.minitower.api.schedules;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.model.api.ScheduleView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/schedules[?app=]}: the team's schedules across its apps, next to fire first,
 * each with its latest tick (what the web UI's schedule lists show). Changes go through the per-app
 * resource.
 */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class TeamScheduleResource {
  private final TeamAuthenticator auth;
  private final ScheduleService schedules;

  public TeamScheduleResource(TeamAuthenticator auth, ScheduleService schedules) {
    this.auth = auth;
    this.schedules = schedules;
  }

  @GET
  public ScheduleView.TeamScheduleList list(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("app") String app) {
    return schedules.listForTeam(auth.authenticate(authorization), app);
  }
}
