package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.service.Paging;
import dev.minitower.api.service.RunQueryService;
import dev.minitower.api.service.RunService;
import dev.minitower.model.api.Views;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Team-side run endpoints under /api/v1/runs (the runner-side ones live in runner-service). */
@Authenticated
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
  private final CurrentCaller callers;
  private final RunQueryService queries;
  private final RunService runs;

  public RunResource(CurrentCaller callers, RunQueryService queries, RunService runs) {
    this.callers = callers;
    this.queries = queries;
    this.runs = runs;
  }

  @GET
  public Views.RunList list(
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset,
      @QueryParam("status") String status,
      @QueryParam("app") String app) {
    Caller caller = callers.get();
    return queries.listForTeam(
        caller,
        status,
        app,
        Paging.parse(
            limit, offset, RunQueryService.RUNS_DEFAULT_LIMIT, RunQueryService.RUNS_MAX_LIMIT));
  }

  @GET
  @Path("/summary")
  public Views.RunSummary summary() {
    return queries.summary(callers.get());
  }

  @GET
  @Path("/{run}")
  public Views.RunView get(@PathParam("run") String run) {
    Caller caller = callers.get();
    return queries.get(caller, PathIds.parse(run, "invalid run ID"));
  }

  @GET
  @Path("/{run}/logs")
  public Views.LogPage logs(
      @PathParam("run") String run,
      @QueryParam("after_seq") String afterSeq,
      @QueryParam("after_attempt") String afterAttempt) {
    Caller caller = callers.get();
    return queries.logs(caller, PathIds.parse(run, "invalid run ID"), afterSeq, afterAttempt);
  }

  @GET
  @Path("/{run}/attempts")
  public Views.AttemptList attempts(@PathParam("run") String run) {
    Caller caller = callers.get();
    return queries.attempts(caller, PathIds.parse(run, "invalid run ID"));
  }

  /** Cancels the run (body ignored); always 200 with the run, also when it already ended. */
  @POST
  @Path("/{run}/cancel")
  public Views.RunView cancel(@PathParam("run") String run) {
    Caller caller = callers.get();
    return runs.cancel(caller, PathIds.parse(run, "invalid run ID"));
  }
}
