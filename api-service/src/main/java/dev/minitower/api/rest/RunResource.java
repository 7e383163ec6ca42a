package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.service.Paging;
import dev.minitower.api.service.RunQueryService;
import dev.minitower.api.service.RunService;
import dev.minitower.model.api.Views;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Team-side run endpoints under /api/v1/runs (the runner-side ones live in runner-service). */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
  private final TeamAuthenticator auth;
  private final RunQueryService queries;
  private final RunService runs;

  public RunResource(TeamAuthenticator auth, RunQueryService queries, RunService runs) {
    this.auth = auth;
    this.queries = queries;
    this.runs = runs;
  }

  @GET
  public Views.RunList list(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset,
      @QueryParam("status") String status,
      @QueryParam("app") String app) {
    Caller caller = auth.authenticate(authorization);
    return queries.listForTeam(
        caller,
        status,
        app,
        Paging.parse(
            limit, offset, RunQueryService.RUNS_DEFAULT_LIMIT, RunQueryService.RUNS_MAX_LIMIT));
  }

  @GET
  @Path("/summary")
  public Views.RunSummary summary(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return queries.summary(auth.authenticate(authorization));
  }

  @GET
  @Path("/{run}")
  public Views.RunView get(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("run") String run) {
    Caller caller = auth.authenticate(authorization);
    return queries.get(caller, PathIds.parse(run, "invalid run ID"));
  }

  @GET
  @Path("/{run}/logs")
  public Views.LogPage logs(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("run") String run,
      @QueryParam("after_seq") String afterSeq,
      @QueryParam("after_attempt") String afterAttempt) {
    Caller caller = auth.authenticate(authorization);
    return queries.logs(caller, PathIds.parse(run, "invalid run ID"), afterSeq, afterAttempt);
  }

  @GET
  @Path("/{run}/attempts")
  public Views.AttemptList attempts(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("run") String run) {
    Caller caller = auth.authenticate(authorization);
    return queries.attempts(caller, PathIds.parse(run, "invalid run ID"));
  }

  /** Cancels the run (body ignored); always 200 with the run, also when it already ended. */
  @POST
  @Path("/{run}/cancel")
  public Views.RunView cancel(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("run") String run) {
    Caller caller = auth.authenticate(authorization);
    return runs.cancel(caller, PathIds.parse(run, "invalid run ID"));
  }
}
