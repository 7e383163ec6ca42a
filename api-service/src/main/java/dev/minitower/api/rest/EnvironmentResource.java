package dev.minitower.api.rest;

import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.http.JsonBody;
import dev.minitower.api.service.EnvironmentService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/** A team's environments. */
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentResource {
  private final TeamAuthenticator auth;
  private final EnvironmentService service;

  public EnvironmentResource(TeamAuthenticator auth, EnvironmentService service) {
    this.auth = auth;
    this.service = service;
  }

  @GET
  public Views.EnvironmentList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return service.list(auth.authenticate(authorization));
  }

  @POST
  public RestResponse<Views.EnvironmentView> create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @JsonBody Requests.CreateEnvironment req) {
    var caller = auth.authenticate(authorization);
    return RestResponse.status(RestResponse.Status.CREATED, service.create(caller, req.name()));
  }
}
