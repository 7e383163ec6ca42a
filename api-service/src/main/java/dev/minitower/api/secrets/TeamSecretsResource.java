package dev.minitower.api.secrets;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.http.JsonBody;
import dev.minitower.model.api.SecretViews;
import dev.minitower.model.api.SecretViews.PutSecret;
import dev.minitower.model.api.SecretViews.SecretList;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Team secrets: {@code PUT /api/v1/secrets/{name}} (admin; 201 created, 200 replaced), {@code GET
 * /api/v1/secrets} (any member; never values), {@code DELETE /api/v1/secrets/{name}} (admin; {@code
 * ?environment=} for a scoped one).
 */
@Path("/api/v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class TeamSecretsResource {
  private final TeamAuthenticator auth;
  private final TeamSecretsService secrets;

  public TeamSecretsResource(TeamAuthenticator auth, TeamSecretsService secrets) {
    this.auth = auth;
    this.secrets = secrets;
  }

  @GET
  public SecretList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return secrets.list(auth.authenticate(authorization));
  }

  @PUT
  @Path("/{name}")
  public RestResponse<SecretViews.SecretView> put(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("name") String name,
      @JsonBody(blank = "invalid JSON body: a body {\"value\": \"…\"} is required") PutSecret req) {
    Caller caller = auth.authenticate(authorization);
    caller.requireAdmin();
    TeamSecretsService.Written written = secrets.put(caller, name, req);
    return RestResponse.status(
        written.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, written.view());
  }

  @DELETE
  @Path("/{name}")
  public Response delete(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("name") String name,
      @QueryParam("environment") String environment) {
    secrets.delete(auth.authenticate(authorization), name, environment);
    return Response.noContent().build();
  }
}
