package dev.minitower.runners.rest;

import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.BatchLeaseResponse;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.runners.auth.RunnerIdentityProvider;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.service.LeaseService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/v1/runners/lease} (addition): up to {@code max} leases in one call and one
 * statement, optionally already started ({@link BatchLeaseRequest}). 200 with the leases, 204 when
 * none within the wait, 409 when the runner has no free slot.
 */
@RolesAllowed(RunnerIdentityProvider.ROLE)
@Path(RunnerProtocol.BATCH_LEASE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class BatchLeaseResource {
  private final SecurityIdentity identity;
  private final LeaseService leases;
  private final JsonBodies json;

  BatchLeaseResource(SecurityIdentity identity, LeaseService leases, JsonBodies json) {
    this.identity = identity;
    this.leases = leases;
    this.json = json;
  }

  @POST
  @Blocking
  public CompletionStage<Response> lease(
      @QueryParam("wait") String waitParam,
      @HeaderParam(RunnerProtocol.LEASE_WAIT_HEADER) String waitHeader,
      byte[] body,
      RoutingContext rc) {
    RunnerPrincipal runner = RunnerIdentityProvider.runner(identity);
    BatchLeaseRequest request = JsonBody.parse(json, body, BatchLeaseRequest.class);
    int max = request == null || request.max() == null ? 1 : request.max();
    if (max < 1 || max > BatchLeaseRequest.MAX_LEASES) {
      throw ApiException.badRequest("max must be between 1 and " + BatchLeaseRequest.MAX_LEASES);
    }
    boolean start = request != null && Boolean.TRUE.equals(request.start());
    LongPollRequest poll = LongPollRequest.of(waitParam, waitHeader, rc);
    return leases
        .lease(runner, poll.maxWait(), poll.clientGone(), max, start)
        .thenApply(
            granted ->
                granted.isEmpty()
                    ? Response.noContent().type(MediaType.APPLICATION_JSON).build()
                    : Response.ok(
                            new BatchLeaseResponse(
                                granted.stream().map(RunnerViews::lease).toList()))
                        .build());
  }
}
