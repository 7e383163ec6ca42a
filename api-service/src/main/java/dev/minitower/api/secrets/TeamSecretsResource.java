package dev.minitower.api.secrets;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.model.api.SecretViews.PutSecret;
import dev.minitower.model.api.SecretViews.SecretList;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
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
  private final JsonBodies json;

  public TeamSecretsResource(TeamAuthenticator auth, TeamSecretsService secrets, JsonBodies json) {
    this.auth = auth;
    this.secrets = secrets;
    this.json = json;
  }

  @GET
  public SecretList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return secrets.list(auth.authenticate(authorization));
  }

  @PUT
  @Path("/{name}")
  public Response put(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("name") String name,
      byte[] body) {
    Caller caller = auth.authenticate(authorization);
    caller.requireAdmin();
    if (JsonBodies.isBlank(body)) {
      throw ApiException.badRequest("invalid JSON body: a body {\"value\": \"…\"} is required");
    }
    PutSecret req = json.read(body, PutSecret.class, "invalid JSON body");
    TeamSecretsService.Written written = secrets.put(caller, name, req);
    return Response.status(written.created() ? 201 : 200).entity(written.view()).build();
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
