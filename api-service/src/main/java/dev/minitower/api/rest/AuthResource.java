package dev.minitower.api.rest;

import dev.minitower.api.http.JsonBody;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestResponse;

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

  /** byte[] on purpose: a disabled signup answers 403 before the body is read (api.md 2.5). */
  @POST
  @Path("/teams/signup")
  @APIResponseSchema(
      value = Views.TeamCreated.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.TeamCreated> signup(
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = Requests.Signup.class)))
          byte[] body,
      @Context HttpServerRequest request) {
    teams.requireSignupEnabled(clientAddress(request));
    Requests.Signup req = json.read(body, Requests.Signup.class, "invalid JSON body");
    return RestResponse.status(RestResponse.Status.CREATED, teams.signup(req));
  }

  @POST
  @Path("/teams/login")
  @APIResponseSchema(
      value = Views.LoginResult.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.LoginResult> login(
      @JsonBody Requests.Login req, @Context HttpServerRequest request) {
    return RestResponse.status(
        RestResponse.Status.CREATED, teams.login(req, clientAddress(request)));
  }

  /**
   * byte[] on purpose: a missing route (404) and a wrong bootstrap token (401) come before the
   * body's 400 (api.md 2.7).
   */
  @POST
  @Path("/bootstrap/team")
  @APIResponseSchema(
      value = Views.TeamCreated.class,
      responseCode = "201",
      responseDescription = "Created")
  @APIResponse(responseCode = "200", description = "The team existed")
  public RestResponse<Views.TeamCreated> bootstrap(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = Requests.Bootstrap.class)))
          byte[] body) {
    if (!teams.bootstrapEnabled()) {
      throw ApiException.notFound("no such endpoint");
    }
    teams.requireBootstrapToken(authorization);
    Requests.Bootstrap req = json.read(body, Requests.Bootstrap.class, "invalid JSON body");
    TeamService.BootstrapResult result = teams.bootstrap(req);
    return RestResponse.status(
        result.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, result.body());
  }

  static String clientAddress(HttpServerRequest request) {
    return request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
  }
}
