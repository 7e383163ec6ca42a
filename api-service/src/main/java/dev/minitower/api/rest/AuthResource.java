package dev.minitower.api.rest;

import dev.minitower.api.service.TeamService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Unauthenticated team endpoints: auth options, signup, login and operator bootstrap. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
  private final TeamService teams;
  private final JsonBodies json;

  public AuthResource(TeamService teams, JsonBodies json) {
    this.teams = teams;
    this.json = json;
  }

  @GET
  @Path("/auth/options")
  public Views.AuthOptions options() {
    return teams.options();
  }

  @POST
  @Path("/teams/signup")
  public Response signup(byte[] body, @Context HttpServerRequest request) {
    teams.requireSignupEnabled(clientAddress(request));
    Requests.Signup req = json.read(body, Requests.Signup.class, "invalid JSON body");
    return Response.status(201).entity(teams.signup(req)).build();
  }

  @POST
  @Path("/teams/login")
  public Response login(byte[] body, @Context HttpServerRequest request) {
    Requests.Login req = json.read(body, Requests.Login.class, "invalid JSON body");
    return Response.status(201).entity(teams.login(req, clientAddress(request))).build();
  }

  @POST
  @Path("/bootstrap/team")
  public Response bootstrap(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
    if (!teams.bootstrapEnabled()) {
      throw ApiException.notFound("no such endpoint");
    }
    teams.requireBootstrapToken(authorization);
    Requests.Bootstrap req = json.read(body, Requests.Bootstrap.class, "invalid JSON body");
    TeamService.BootstrapResult result = teams.bootstrap(req);
    return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
  }

  static String clientAddress(HttpServerRequest request) {
    return request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
  }
}
