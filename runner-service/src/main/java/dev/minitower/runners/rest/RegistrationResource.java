package dev.minitower.runners.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.model.runner.RegisterResponse;
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
  private final ObjectMapper mapper;

  RegistrationResource(RunnerRegistry registry, MeterRegistry meters, ObjectMapper mapper) {
    this.registry = registry;
    this.meters = meters;
    this.mapper = mapper;
  }

  @POST
  public Response register(@HeaderParam("Authorization") String auth, String body) {
    Registration r =
        registry.register(auth, () -> JsonBody.parse(mapper, body, RegisterRequest.class));
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
