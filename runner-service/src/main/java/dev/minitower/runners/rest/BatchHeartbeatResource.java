package dev.minitower.runners.rest;

import dev.minitower.model.runner.HeartbeatBatchRequest;
import dev.minitower.model.runner.HeartbeatBatchResponse;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.runners.auth.RunnerIdentityProvider;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.service.AttemptService;
import dev.minitower.store.runs.RunRefusal;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/runners/heartbeat} (addition): extends every listed lease of the calling
 * runner in one call; each entry answers its attempt view or {@code gone}.
 */
@RolesAllowed(RunnerIdentityProvider.ROLE)
@Path(RunnerProtocol.BATCH_HEARTBEAT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class BatchHeartbeatResource {
  private static final int MAX_LEASES = 256;

  private final SecurityIdentity identity;
  private final AttemptService attempts;

  private final JsonBodies json;

  BatchHeartbeatResource(SecurityIdentity identity, AttemptService attempts, JsonBodies json) {
    this.identity = identity;
    this.attempts = attempts;
    this.json = json;
  }

  @POST
  public HeartbeatBatchResponse heartbeat(byte[] body) {
    RunnerPrincipal runner = RunnerIdentityProvider.runner(identity);
    HeartbeatBatchRequest request = JsonBody.parse(json, body, HeartbeatBatchRequest.class);
    if (request == null || request.leases() == null) {
      throw ApiException.badRequest("leases is required");
    }
    if (request.leases().size() > MAX_LEASES) {
      throw ApiException.badRequest("at most " + MAX_LEASES + " leases per call");
    }
    List<HeartbeatBatchResponse.Item> items = new ArrayList<>();
    for (HeartbeatBatchRequest.Lease lease : request.leases()) {
      if (lease == null || lease.leaseToken() == null || lease.leaseToken().isBlank()) {
        throw ApiException.badRequest("each lease needs run_id and lease_token");
      }
      try {
        var state =
            attempts.heartbeat(AttemptService.ref(runner, lease.runId(), lease.leaseToken()));
        items.add(
            new HeartbeatBatchResponse.Item(lease.runId(), RunnerViews.attempt(state, true), null));
      } catch (RunRefusal e) {
        if (!e.isGone()) {
          throw e;
        }
        items.add(new HeartbeatBatchResponse.Item(lease.runId(), null, "gone"));
      }
    }
    return new HeartbeatBatchResponse(items);
  }
}
