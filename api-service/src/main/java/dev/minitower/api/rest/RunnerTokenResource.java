package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.http.JsonBody;
import dev.minitower.api.service.RunnerTokenService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestResponse;

/** A team's runner registration tokens (admin only). */
@RolesAllowed(Caller.ADMIN)
@Path("/api/v1/runner-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class RunnerTokenResource {
  private final CurrentCaller callers;
  private final RunnerTokenService service;

  public RunnerTokenResource(CurrentCaller callers, RunnerTokenService service) {
    this.callers = callers;
    this.service = service;
  }

  @POST
  @APIResponseSchema(
      value = Views.RunnerTokenCreated.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.RunnerTokenCreated> create(
      @JsonBody(value = "malformed JSON body", optional = true) Requests.CreateRunnerToken body) {
    Caller caller = callers.get();
    Requests.CreateRunnerToken req =
        body == null ? new Requests.CreateRunnerToken(null, null, null) : body;
    return RestResponse.status(RestResponse.Status.CREATED, service.create(caller, req));
  }

  @GET
  public Views.RunnerTokenList list() {
    return service.list(callers.get());
  }

  @DELETE
  @Path("/{id}")
  public Response revoke(@PathParam("id") String id) {
    Caller caller = callers.get();
    service.revoke(caller, PathIds.parse(id, "invalid token ID"));
    return Response.noContent().build();
  }
}
