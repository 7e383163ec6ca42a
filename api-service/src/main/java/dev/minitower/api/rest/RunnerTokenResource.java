package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.service.RunnerTokenService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.platform.json.JsonBodies;
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

/** A team's runner registration tokens (admin only). */
@Path("/api/v1/runner-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class RunnerTokenResource {
  private final TeamAuthenticator auth;
  private final RunnerTokenService service;
  private final JsonBodies json;

  public RunnerTokenResource(TeamAuthenticator auth, RunnerTokenService service, JsonBodies json) {
    this.auth = auth;
    this.service = service;
    this.json = json;
  }

  @POST
  public Response create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
    Caller caller = auth.authenticate(authorization);
    Requests.CreateRunnerToken req =
        JsonBodies.isBlank(body)
            ? new Requests.CreateRunnerToken(null, null, null)
            : json.read(body, Requests.CreateRunnerToken.class, "malformed JSON body");
    return Response.status(201).entity(service.create(caller, req)).build();
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
