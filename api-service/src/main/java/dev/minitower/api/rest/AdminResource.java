package dev.minitower.api.rest;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.service.AdminService;
import dev.minitower.model.api.Views;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** GET /api/v1/admin/runners (admin role). */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  private final TeamAuthenticator auth;
  private final AdminService admin;

  public AdminResource(TeamAuthenticator auth, AdminService admin) {
    this.auth = auth;
    this.admin = admin;
  }

  @GET
  @Path("/runners")
  public Views.RunnerList runners(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return admin.runners(auth.authenticate(authorization));
  }
}
