package dev.minitower.runners.rest;

import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.runners.auth.RunnerIdentityProvider;
import dev.minitower.runners.auth.RunnerPrincipal;
import dev.minitower.runners.service.LeaseService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/runs/lease}: 200 with a lease, 204 when there is no work, 409 when the runner
 * is at its concurrency limit. {@code ?wait=20s} (or header {@code X-Lease-Wait: 20}) long-polls.
 */
@RolesAllowed(RunnerIdentityProvider.ROLE)
@Path(RunnerProtocol.LEASE)
@Produces(MediaType.APPLICATION_JSON)
public class LeaseResource {
  private static final Pattern WAIT = Pattern.compile("(\\d{1,6})(ms|s|m)?");

  private final SecurityIdentity identity;
  private final LeaseService leases;

  LeaseResource(SecurityIdentity identity, LeaseService leases) {
    this.identity = identity;
    this.leases = leases;
  }

  @POST
  @Blocking
  public CompletionStage<Response> lease(
      @QueryParam("wait") String waitParam,
      @HeaderParam(RunnerProtocol.LEASE_WAIT_HEADER) String waitHeader,
      RoutingContext rc) {
    RunnerPrincipal runner = RunnerIdentityProvider.runner(identity);
    LongPollRequest poll = LongPollRequest.of(waitParam, waitHeader, rc);
    return leases
        .lease(runner, poll.maxWait(), poll.clientGone())
        .thenApply(
            granted ->
                granted
                    .map(g -> Response.ok(RunnerViews.lease(g)).build())
                    .orElseGet(
                        () -> Response.noContent().type(MediaType.APPLICATION_JSON).build()));
  }

  static Duration parseWait(String raw) {
    if (raw == null || raw.isBlank()) {
      return Duration.ZERO;
    }
    Matcher m = WAIT.matcher(raw.trim());
    if (!m.matches()) {
      throw ApiException.badRequest("wait must look like 20s, 500ms or 1m");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
