package dev.minitower.api.live;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.service.RunQueryService;
import dev.minitower.platform.error.ApiException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/v1/runs/{run}/stream}: server-sent events for one run — {@code status} (the Run
 * object, on every status change, first at once) and {@code log} (each new line, with its attempt
 * number), from the optional {@code after_attempt}/{@code after_seq} cursor. Authenticated with the
 * usual {@code Authorization} header (never a token in the query string); the stream closes after
 * the run ends.
 */
@Authenticated
@Path("/api/v1/runs/{run}/stream")
public class RunStreamResource {
  private final CurrentCaller callers;
  private final RunQueryService queries;
  private final LiveRunHub hub;

  RunStreamResource(CurrentCaller callers, RunQueryService queries, LiveRunHub hub) {
    this.callers = callers;
    this.queries = queries;
    this.hub = hub;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Blocking
  public void stream(
      @PathParam("run") String run,
      @QueryParam("after_attempt") String afterAttempt,
      @QueryParam("after_seq") String afterSeq,
      @Context SseEventSink sink,
      @Context Sse sse) {
    Caller caller = callers.get();
    long runId;
    try {
      runId = Long.parseLong(run);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid run ID");
    }
    if (runId == 0) {
      throw ApiException.badRequest("invalid run ID");
    }
    queries.get(caller, runId);
    hub.add(new RunStream(hub, queries, caller, runId, sink, sse, afterAttempt, afterSeq));
  }
}
