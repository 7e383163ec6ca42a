package dev.minitower.runners.rest;

import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.model.runner.RegisterResponse;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.runners.auth.RunnerAuthenticator;
import dev.minitower.runners.service.RunnerRegistry;
import dev.minitower.runners.service.RunnerRegistry.Registration;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/v1/runners/register}: 201 for a new runner, 200 when an identity is taken over.
 */
@Path("/api/v1/runners/register")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class RegistrationResource {
  private final RunnerRegistry registry;
  private final MeterRegistry meters;
  private final JsonBodies json;
  private final RunnerAuthenticator auth;

  RegistrationResource(
      RunnerRegistry registry, MeterRegistry meters, JsonBodies json, RunnerAuthenticator auth) {
    this.registry = registry;
    this.meters = meters;
    this.json = json;
    this.auth = auth;
  }

  @POST
  public Response register(@HeaderParam("Authorization") String auth, byte[] body) {
    Registration r =
        registry.register(auth, () -> JsonBody.parse(json, body, RegisterRequest.class));
    // Committed: the old token of a taken-over name stops here at once (other replicas learn it
    // from the trigger's NOTIFY within milliseconds).
    this.auth.invalidate(Long.toString(r.runnerId()));
    if (r.created()) {
      meters.counter("minitower.runners.registered", "environment", r.environment()).increment();
    }
    return Response.status(r.created() ? 201 : 200)
        .entity(
            new RegisterResponse(
                r.runnerId(), r.name(), r.token(), r.environment(), r.maxConcurrent(), r.teamId()))
        .build();
  }
}
