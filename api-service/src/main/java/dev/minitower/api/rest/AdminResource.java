package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.service.AdminService;
import dev.minitower.model.api.Views;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /api/v1/admin/runners (admin role). */
@RolesAllowed(Caller.ADMIN)
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  private final CurrentCaller callers;
  private final AdminService admin;

  public AdminResource(CurrentCaller callers, AdminService admin) {
    this.callers = callers;
    this.admin = admin;
  }

  @GET
  @Path("/runners")
  public Views.RunnerList runners() {
    return admin.runners(callers.get());
  }
}
