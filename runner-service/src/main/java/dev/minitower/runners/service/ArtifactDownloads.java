package dev.minitower.runners.service;

import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.platform.error.ApiException;
import dev.minitower.store.artifacts.ArtifactStore;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;

/** Streams a run's artifact from the content-addressed store with the original's headers. */
@ApplicationScoped
public class ArtifactDownloads {
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final String VERSION_OF_RUN =
      "SELECT v.artifact_sha256, v.artifact_size, v.entrypoint, v.timeout_seconds,"
          + " v.import_paths::text AS import_paths, jsonb_array_length(v.import_paths) AS n_paths"
          + " FROM runs r JOIN app_versions v ON v.id = r.app_version_id WHERE r.id = ?";

  private record Version(
      String sha, long size, String entrypoint, Integer timeout, String importPaths, int nPaths) {}

  private final AgroalDataSource dataSource;
  private final ArtifactStore store;

  ArtifactDownloads(AgroalDataSource dataSource, ArtifactStore store) {
    this.dataSource = dataSource;
    this.store = store;
  }

  public Response download(long runId) {
    Version v;
    try (Connection c = dataSource.getConnection()) {
      v =
          Jdbc.queryOne(
                  c,
                  VERSION_OF_RUN,
                  rs ->
                      new Version(
                          rs.getString("artifact_sha256"),
                          rs.getLong("artifact_size"),
                          rs.getString("entrypoint"),
                          Jdbc.intOrNull(rs, "timeout_seconds"),
                          rs.getString("import_paths"),
                          rs.getInt("n_paths")),
                  runId)
              .orElseThrow(() -> ApiException.gone("invalid or expired lease"));
    } catch (SQLException e) {
      throw new StoreException("load artifact", e);
    }
    if (!store.exists(v.sha())) {
      throw new ApiException(500, "internal", "artifact not found");
    }
    StreamingOutput body =
        out -> {
          try (InputStream in = store.open(v.sha())) {
            in.transferTo(out);
          }
        };
    Response.ResponseBuilder r =
        Response.ok(body, "application/gzip")
            .header("Content-Length", v.size())
            .header(RunnerProtocol.ARTIFACT_SHA_HEADER, v.sha())
            .header(RunnerProtocol.ENTRYPOINT_HEADER, v.entrypoint());
    if (v.timeout() != null) {
      r.header(RunnerProtocol.TIMEOUT_HEADER, v.timeout());
    }
    if (v.nPaths() > 0) {
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
