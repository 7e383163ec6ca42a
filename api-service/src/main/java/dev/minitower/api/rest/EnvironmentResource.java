package dev.minitower.api.rest;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.service.EnvironmentService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.platform.json.JsonBodies;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A team's environments. */
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentResource {
  private final TeamAuthenticator auth;
  private final EnvironmentService service;
  private final JsonBodies json;

  public EnvironmentResource(TeamAuthenticator auth, EnvironmentService service, JsonBodies json) {
    this.auth = auth;
    this.service = service;
    this.json = json;
  }

  @GET
  public Views.EnvironmentList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return service.list(auth.authenticate(authorization));
  }

  @POST
  public Response create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
    var caller = auth.authenticate(authorization);
    Requests.CreateEnvironment req =
        json.read(body, Requests.CreateEnvironment.class, "invalid JSON body");
    return Response.status(201).entity(service.create(caller, req.name())).build();
  }
}
