package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.http.JsonBody;
import dev.minitower.api.service.AppService;
import dev.minitower.api.service.Paging;
import dev.minitower.api.service.RunQueryService;
import dev.minitower.api.service.RunService;
import dev.minitower.api.service.VersionService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Apps, their versions and their runs. */
@Authenticated
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppResource {
  static final int APPS_DEFAULT_LIMIT = 100;
  static final int APPS_MAX_LIMIT = 1000;

  private final CurrentCaller callers;
  private final AppService apps;
  private final VersionService versions;
  private final RunQueryService runQueries;
  private final RunService runService;

  public AppResource(
      CurrentCaller callers,
      AppService apps,
      VersionService versions,
      RunQueryService runQueries,
      RunService runService) {
    this.callers = callers;
    this.apps = apps;
    this.versions = versions;
    this.runQueries = runQueries;
    this.runService = runService;
  }

  @GET
  public Views.AppList list(
      @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
    Caller caller = callers.get();
    return apps.list(caller, Paging.parse(limit, offset, APPS_DEFAULT_LIMIT, APPS_MAX_LIMIT));
  }

  @POST
  @APIResponseSchema(
      value = Views.AppView.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.AppView> create(@JsonBody Requests.CreateApp req) {
    Caller caller = callers.get();
    return RestResponse.status(RestResponse.Status.CREATED, apps.create(caller, req));
  }

  @GET
  @Path("/{app}")
  public Views.AppView get(@PathParam("app") String app) {
    return apps.get(callers.get(), app);
  }

  @GET
  @Path("/{app}/versions")
  public Views.VersionList versions(
      @PathParam("app") String app,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    Caller caller = callers.get();
    return versions.list(
        caller, app, Paging.parse(limit, offset, APPS_DEFAULT_LIMIT, APPS_MAX_LIMIT));
  }

  @GET
  @Path("/{app}/versions/{version}")
  public Views.VersionView version(
      @PathParam("app") String app, @PathParam("version") String version) {
    Caller caller = callers.get();
    return versions.get(caller, app, PathIds.parse(version, "invalid version number"));
  }

  @GET
  @Path("/{app}/runs")
  public Views.RunList runs(
      @PathParam("app") String app,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    Caller caller = callers.get();
    return runQueries.listForApp(
        caller,
        app,
        Paging.parse(
            limit, offset, RunQueryService.RUNS_DEFAULT_LIMIT, RunQueryService.RUNS_MAX_LIMIT));
  }

  /**
   * Creates a run: 201 the first time; with an {@code Idempotency-Key} already used for the same
   * request, 200 and the same run; for a different request, 409.
   */
  @POST
  @Path("/{app}/runs")
  @APIResponseSchema(
      value = Views.RunView.class,
      responseCode = "201",
      responseDescription = "Created")
  @APIResponse(responseCode = "200", description = "Replayed")
  public RestResponse<Views.RunView> createRun(
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @PathParam("app") String app,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = Requests.CreateRun.class)))
          byte[] body) {
    // byte[] on purpose: the app's 404 comes before the body's 400 (api.md 2.16), see README.
    Caller caller = callers.get();
    RunService.Created created = runService.create(caller, app, body, idempotencyKey);
    return RestResponse.status(
        created.replayed() ? RestResponse.Status.OK : RestResponse.Status.CREATED, created.run());
  }

  /**
   * Artifact upload: a multipart form with a file part named {@code artifact}. The part is spooled
   * to a temporary file by the server (never held in memory) and removed after the request.
   */
  @POST
  @Path("/{app}/versions")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @APIResponseSchema(
      value = Views.VersionView.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.VersionView> upload(
      @PathParam("app") String app, @RestForm("artifact") FileUpload artifact) {
    Caller caller = callers.get();
    return RestResponse.status(
        RestResponse.Status.CREATED,
        versions.upload(caller, app, artifact == null ? null : artifact.uploadedFile()));
  }

  /** Anything but a multipart form is refused like the original: 400 invalid multipart form. */
  @POST
  @Path("/{app}/versions")
  @Consumes(MediaType.WILDCARD)
  @Operation(hidden = true)
  public Response uploadNotMultipart(@PathParam("app") String app) {
    Caller caller = callers.get();
    apps.get(caller, app);
    throw dev.minitower.platform.error.ApiException.badRequest("invalid multipart form");
  }
}
