package dev.minitower.runners.rest;

import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.BatchLeaseResponse;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.runners.auth.RunnerAuthenticator;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.service.LeaseService;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/v1/runners/lease} (addition): up to {@code max} leases in one call and one
 * statement, optionally already started ({@link BatchLeaseRequest}). 200 with the leases, 204 when
 * none within the wait, 409 when the runner has no free slot.
 */
@Path(RunnerProtocol.BATCH_LEASE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class BatchLeaseResource {
  private final RunnerAuthenticator auth;
  private final LeaseService leases;
  private final JsonBodies json;

  BatchLeaseResource(RunnerAuthenticator auth, LeaseService leases, JsonBodies json) {
    this.auth = auth;
    this.leases = leases;
    this.json = json;
  }

  @POST
  @Blocking
  public CompletionStage<Response> lease(
      @HeaderParam("Authorization") String authorization,
      @QueryParam("wait") String waitParam,
      @HeaderParam(RunnerProtocol.LEASE_WAIT_HEADER) String waitHeader,
      byte[] body,
      RoutingContext rc) {
    RunnerPrincipal runner = auth.authenticate(authorization);
    BatchLeaseRequest request = JsonBody.parse(json, body, BatchLeaseRequest.class);
    int max = request == null || request.max() == null ? 1 : request.max();
    if (max < 1 || max > BatchLeaseRequest.MAX_LEASES) {
      throw ApiException.badRequest("max must be between 1 and " + BatchLeaseRequest.MAX_LEASES);
    }
    boolean start = request != null && Boolean.TRUE.equals(request.start());
    Duration wait = LeaseResource.parseWait(waitParam != null ? waitParam : waitHeader);
    AtomicBoolean gone = new AtomicBoolean();
    rc.addEndHandler(ended -> gone.set(true));
    return leases
        .lease(runner, wait, gone::get, max, start)
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
