package dev.minitower.runners.service;

import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.store.artifacts.ArtifactStore;
import dev.minitower.store.runs.RunQueries;
import dev.minitower.store.runs.RunQueries.RunArtifact;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/** Streams a run's artifact from the content-addressed store with the original's headers. */
@ApplicationScoped
public class ArtifactDownloads {
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final RunQueries runs;
  private final ArtifactStore store;

  ArtifactDownloads(RunQueries runs, ArtifactStore store) {
    this.runs = runs;
    this.store = store;
  }

  public Response download(long runId) {
    RunArtifact v =
        runs.artifactOf(runId).orElseThrow(() -> ApiException.gone("invalid or expired lease"));
    if (!store.exists(v.sha256())) {
      throw new ApiException(500, "internal", "artifact not found");
    }
    StreamingOutput body =
        out -> {
          try (InputStream in = store.open(v.sha256())) {
            in.transferTo(out);
          }
        };
    Response.ResponseBuilder r =
        Response.ok(body, "application/gzip")
            .header("Content-Length", v.size())
            .header(RunnerProtocol.ARTIFACT_SHA_HEADER, v.sha256())
            .header(RunnerProtocol.ENTRYPOINT_HEADER, v.entrypoint());
    if (v.timeoutSeconds() != null) {
      r.header(RunnerProtocol.TIMEOUT_HEADER, v.timeoutSeconds());
    }
    if (v.importPathCount() > 0) {
      r.header(RunnerProtocol.IMPORT_PATHS_HEADER, compactJson(v.importPaths()));
    }
    return r.build();
  }

  /** PostgreSQL renders jsonb with spaces; the header carries compact JSON like the original. */
  private static String compactJson(String json) {
    try {
      return MAPPER.writeValueAsString(MAPPER.readTree(json));
    } catch (Exception e) {
      throw new IllegalStateException("stored import paths are not JSON", e);
    }
  }
}
