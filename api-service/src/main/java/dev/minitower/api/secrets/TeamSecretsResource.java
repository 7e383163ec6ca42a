package dev.minitower.api.secrets;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.http.JsonBody;
import dev.minitower.model.api.SecretViews;
import dev.minitower.model.api.SecretViews.PutSecret;
import dev.minitower.model.api.SecretViews.SecretList;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Team secrets: {@code PUT /api/v1/secrets/{name}} (admin; 201 created, 200 replaced), {@code GET
 * /api/v1/secrets} (any member; never values), {@code DELETE /api/v1/secrets/{name}} (admin; {@code
 * ?environment=} for a scoped one).
 */
@Authenticated
@Path("/api/v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class TeamSecretsResource {
  private final CurrentCaller callers;
  private final TeamSecretsService secrets;

  public TeamSecretsResource(CurrentCaller callers, TeamSecretsService secrets) {
    this.callers = callers;
    this.secrets = secrets;
  }

  @GET
  public SecretList list() {
    return secrets.list(callers.get());
  }

  @PUT
  @RolesAllowed(Caller.ADMIN)
  @Path("/{name}")
  @APIResponseSchema(
      value = SecretViews.SecretView.class,
      responseCode = "201",
      responseDescription = "Created")
  @APIResponse(responseCode = "200", description = "Replaced")
  public RestResponse<SecretViews.SecretView> put(
      @PathParam("name") String name,
      @JsonBody(blank = "invalid JSON body: a body {\"value\": \"…\"} is required") PutSecret req) {
    Caller caller = callers.get();
    TeamSecretsService.Written written = secrets.put(caller, name, req);
    return RestResponse.status(
        written.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, written.view());
  }

  @DELETE
  @RolesAllowed(Caller.ADMIN)
  @Path("/{name}")
  public Response delete(
      @PathParam("name") String name, @QueryParam("environment") String environment) {
    secrets.delete(callers.get(), name, environment);
    return Response.noContent().build();
  }
}
