package dev.minitower.runners.rest;

import dev.minitower.model.runner.CancelWatchRequest;
import dev.minitower.model.runner.CancelWatchResponse;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.runners.auth.RunnerIdentityProvider;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.lease.CancelWatch;
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
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/v1/runners/cancels} (addition): the cancel push ({@link CancelWatchRequest}). A
 * cancel request reaches the runner holding the run within milliseconds instead of at its next
 * heartbeat.
 */
@RolesAllowed(RunnerIdentityProvider.ROLE)
@Path(RunnerProtocol.CANCELS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CancelWatchResource {
  private final SecurityIdentity identity;
  private final CancelWatch watch;
  private final JsonBodies json;

  CancelWatchResource(SecurityIdentity identity, CancelWatch watch, JsonBodies json) {
    this.identity = identity;
    this.watch = watch;
    this.json = json;
  }

  @POST
  @Blocking
  public CompletionStage<CancelWatchResponse> watch(
      @QueryParam("wait") String waitParam,
      @HeaderParam(RunnerProtocol.LEASE_WAIT_HEADER) String waitHeader,
      byte[] body,
      RoutingContext rc) {
    RunnerPrincipal runner = RunnerIdentityProvider.runner(identity);
    CancelWatchRequest request = JsonBody.parse(json, body, CancelWatchRequest.class);
    List<Long> ignore = request == null || request.ignore() == null ? List.of() : request.ignore();
    if (ignore.size() > CancelWatchRequest.MAX_IGNORE) {
      throw ApiException.badRequest(
          "at most " + CancelWatchRequest.MAX_IGNORE + " run ids in ignore");
    }
    if (ignore.stream().anyMatch(Objects::isNull)) {
      throw ApiException.badRequest("ignore must list run ids");
    }
    LongPollRequest poll = LongPollRequest.of(waitParam, waitHeader, rc);
    return watch
        .next(runner.id(), Set.copyOf(ignore), poll.maxWait(), poll.clientGone())
        .thenApply(CancelWatchResponse::new);
  }
}
