package dev.minitower.api.rest;

import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.http.JsonBody;
import dev.minitower.api.service.EnvironmentService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestResponse;

/** A team's environments. */
@Authenticated
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentResource {
  private final CurrentCaller callers;
  private final EnvironmentService service;

  public EnvironmentResource(CurrentCaller callers, EnvironmentService service) {
    this.callers = callers;
    this.service = service;
  }

  @GET
  public Views.EnvironmentList list() {
    return service.list(callers.get());
  }

  @POST
  @APIResponseSchema(
      value = Views.EnvironmentView.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.EnvironmentView> create(@JsonBody Requests.CreateEnvironment req) {
    var caller = callers.get();
    return RestResponse.status(RestResponse.Status.CREATED, service.create(caller, req.name()));
  }
}
