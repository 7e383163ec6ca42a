package dev.minitower.runners.rest;

import dev.minitower.model.runner.AttemptView;
import dev.minitower.model.runner.LogBatch;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.runner.ResultResponse;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.model.wire.StrictJson;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.runners.auth.RunnerIdentityProvider;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.service.ArtifactDownloads;
import dev.minitower.runners.service.AttemptService;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The calls a runner makes on a leased run. Each checks, in the original's order: runner token
 * (401), run id (400), lease token header (400), then the lease itself (410: wrong token, another
 * runner's lease, finished, or expired by time).
 */
@RolesAllowed(RunnerIdentityProvider.ROLE)
@Path("/api/v1/runs/{run}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AttemptResource {
  private static final Map<String, String> OK = Map.of("status", "ok");

  private final SecurityIdentity identity;
  private final AttemptService attempts;
  private final ArtifactDownloads artifacts;
  private final JsonBodies json;

  AttemptResource(
      SecurityIdentity identity,
      AttemptService attempts,
      ArtifactDownloads artifacts,
      JsonBodies json) {
    this.identity = identity;
    this.attempts = attempts;
    this.artifacts = artifacts;
    this.json = json;
  }

  private LeaseRef lease(String run, String leaseToken) {
    RunnerPrincipal runner = RunnerIdentityProvider.runner(identity);
    long runId = RunIds.parse(run);
    return AttemptService.ref(runner, runId, RunIds.leaseToken(leaseToken));
  }

  @POST
  @Path("start")
  public AttemptView start(
      @PathParam("run") String run,
      @HeaderParam(RunnerProtocol.LEASE_TOKEN_HEADER) String leaseToken) {
    return RunnerViews.attempt(attempts.start(lease(run, leaseToken)), false);
  }

  @POST
  @Path("heartbeat")
  public AttemptView heartbeat(
      @PathParam("run") String run,
      @HeaderParam(RunnerProtocol.LEASE_TOKEN_HEADER) String leaseToken) {
    return RunnerViews.attempt(attempts.heartbeat(lease(run, leaseToken)), false);
  }

  @POST
  @Path("logs")
  public Map<String, String> logs(
      @PathParam("run") String run,
      @HeaderParam(RunnerProtocol.LEASE_TOKEN_HEADER) String leaseToken,
      byte[] body) {
    LeaseRef ref = lease(run, leaseToken);
    // One transaction on the happy path; a bad body still answers 410 first when the lease is
    // invalid (the original checks the lease before the body).
    try {
      // Log lines are the workload's output: NUL and broken surrogates become U+FFFD when stored.
      LogBatch batch = JsonBody.parse(json, body, LogBatch.class, StrictJson.Text.AS_DATA);
      attempts.appendLogs(ref, batch == null ? null : batch.logs());
    } catch (ApiException e) {
      if (e.status() == 400) {
        attempts.requireLive(ref);
      }
      throw e;
    }
    return OK;
  }

  @POST
  @Path("result")
  public ResultResponse result(
      @PathParam("run") String run,
      @HeaderParam(RunnerProtocol.LEASE_TOKEN_HEADER) String leaseToken,
      byte[] body) {
    RunnerPrincipal runner = RunnerIdentityProvider.runner(identity);
    LeaseRef ref = AttemptService.ref(runner, RunIds.parse(run), RunIds.leaseToken(leaseToken));
    return attempts
        .result(runner, ref, JsonBody.parse(json, body, ResultRequest.class))
        .map(next -> ResultResponse.withLeases(next.stream().map(RunnerViews::lease).toList()))
        .orElse(ResultResponse.OK);
  }

  @GET
  @Path("artifact")
  @Produces({"application/gzip", MediaType.APPLICATION_JSON})
  public Response artifact(
      @PathParam("run") String run,
      @HeaderParam(RunnerProtocol.LEASE_TOKEN_HEADER) String leaseToken) {
    LeaseRef ref = lease(run, leaseToken);
    attempts.requireLive(ref);
    return artifacts.download(ref.runId());
  }
}
