package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.http.JsonBody;
import dev.minitower.api.service.RunnerTokenService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/** A team's runner registration tokens (admin only). */
@Path("/api/v1/runner-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class RunnerTokenResource {
  private final TeamAuthenticator auth;
  private final RunnerTokenService service;

  public RunnerTokenResource(TeamAuthenticator auth, RunnerTokenService service) {
    this.auth = auth;
    this.service = service;
  }

  @POST
  public RestResponse<Views.RunnerTokenCreated> create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @JsonBody(value = "malformed JSON body", optional = true) Requests.CreateRunnerToken body) {
    Caller caller = auth.authenticate(authorization);
    Requests.CreateRunnerToken req =
        body == null ? new Requests.CreateRunnerToken(null, null, null) : body;
    return RestResponse.status(RestResponse.Status.CREATED, service.create(caller, req));
  }

  @GET
  public Views.RunnerTokenList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return service.list(auth.authenticate(authorization));
  }

  @DELETE
  @Path("/{id}")
  public Response revoke(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
    Caller caller = auth.authenticate(authorization);
    service.revoke(caller, PathIds.parse(id, "invalid token ID"));
    return Response.noContent().build();
  }
}
