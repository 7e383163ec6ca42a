package dev.minitower.api.schedules;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.http.JsonBody;
import dev.minitower.model.api.ScheduleRequest;
import dev.minitower.model.api.ScheduleView;
import dev.minitower.platform.error.ApiException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Cron schedules of an app: {@code /api/v1/apps/{app}/schedules[/{id}]}. Create answers 201; update
 * (PATCH, or PUT with the same partial semantics) changes only the fields sent.
 */
@Authenticated
@Path("/api/v1/apps/{app}/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
  private final CurrentCaller callers;
  private final ScheduleService schedules;

  public ScheduleResource(CurrentCaller callers, ScheduleService schedules) {
    this.callers = callers;
    this.schedules = schedules;
  }

  @GET
  public ScheduleView.ScheduleList list(@PathParam("app") String app) {
    return schedules.list(callers.get(), app);
  }

  @POST
  @APIResponseSchema(
      value = ScheduleView.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<ScheduleView> create(
      @PathParam("app") String app, @JsonBody ScheduleRequest req) {
    Caller caller = callers.get();
    return RestResponse.status(RestResponse.Status.CREATED, schedules.create(caller, app, req));
  }

  @GET
  @Path("/{id}")
  public ScheduleView get(@PathParam("app") String app, @PathParam("id") String id) {
    Caller caller = callers.get();
    return schedules.get(caller, app, id(id));
  }

  /** Recent ticks of a schedule, newest first ({@code ?limit=}, 1 to 100, default 20). */
  @GET
  @Path("/{id}/ticks")
  public ScheduleView.TickList ticks(
      @PathParam("app") String app,
      @PathParam("id") String id,
      @jakarta.ws.rs.QueryParam("limit") String limit) {
    Caller caller = callers.get();
    int n = 20;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > 100) {
        throw ApiException.badRequest("limit must be an integer between 1 and 100");
      }
    }
    return schedules.ticks(caller, app, id(id), n);
  }

  @PATCH
  @Path("/{id}")
  public ScheduleView patch(
      @PathParam("app") String app, @PathParam("id") String id, @JsonBody ScheduleRequest req) {
    Caller caller = callers.get();
    return schedules.update(caller, app, id(id), req);
  }

  @PUT
  @Path("/{id}")
  public ScheduleView put(
      @PathParam("app") String app, @PathParam("id") String id, @JsonBody ScheduleRequest req) {
    return patch(app, id, req);
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("app") String app, @PathParam("id") String id) {
    Caller caller = callers.get();
    schedules.delete(caller, app, id(id));
    return Response.noContent().build();
  }

  private static long id(String raw) {
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // 400 below
    }
    throw ApiException.badRequest("invalid schedule id");
  }
}
