package dev.minitower.platform.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.Map;

/** A resource shaped like the real run routes, to test template labelling in isolation. */
@Path("/api/v1/runs")
public class ProbeRunsResource {

  @GET
  @Path("{run}")
  public Map<String, Long> get(@PathParam("run") long run) {
    return Map.of("run_id", run);
  }
}
