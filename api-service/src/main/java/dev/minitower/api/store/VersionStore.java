package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Writes and reads of {@code app_versions}. */
@ApplicationScoped
public class VersionStore {

  /** A version row; {@code paramsSchema} and {@code importPaths} are JSON text. */
  public record Version(
      long id,
      int versionNo,
      String entrypoint,
      Integer timeoutSeconds,
      String paramsSchema,
      String artifactSha256,
      String towerfileToml,
      String importPaths,
      OffsetDateTime createdAt) {}

  public record NewVersion(
      long appId,
      String artifactSha256,
      long artifactSize,
      String entrypoint,
      Integer timeoutSeconds,
      String paramsSchemaJson,
      String towerfileToml,
      String importPathsJson,
      List<String> secretNames) {}

  private static final String COLUMNS =
      "id, version_no, entrypoint, timeout_seconds, params_schema::text, artifact_sha256,"
          + " towerfile_toml, import_paths::text, created_at";

  private final Jdbc jdbc;

  public VersionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the next version of the app. The caller holds the app row lock ({@link
   * AppStore#findForUpdate}), so max + 1 cannot be taken twice.
   */
  public Version insertNext(NewVersion v) {
    return jdbc.one(
            "INSERT INTO app_versions (app_id, version_no, artifact_sha256, artifact_size,"
                + " entrypoint, timeout_seconds, params_schema, towerfile_toml, import_paths,"
                + " secret_names)"
                + " SELECT ?, COALESCE(MAX(version_no), 0) + 1, ?, ?, ?, ?, CAST(? AS jsonb), ?,"
                + " CAST(? AS jsonb), ? FROM app_versions WHERE app_id = ? RETURNING "
                + COLUMNS,
            VersionStore::row,
            v.appId(),
            v.artifactSha256(),
            v.artifactSize(),
            v.entrypoint(),
            v.timeoutSeconds(),
            v.paramsSchemaJson(),
            v.towerfileToml(),
            v.importPathsJson(),
            v.secretNames().toArray(String[]::new),
            v.appId())
        .orElseThrow();
  }

  public List<Version> list(long appId, int limit, long offset) {
    return jdbc.list(
        "SELECT "
            + COLUMNS
            + " FROM app_versions WHERE app_id = ? ORDER BY version_no DESC LIMIT ? OFFSET ?",
        VersionStore::row,
        appId,
        limit,
        offset);
  }

  public Optional<Version> find(long appId, long versionNo) {
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM app_versions WHERE app_id = ? AND version_no = ?",
        VersionStore::row,
        appId,
        versionNo);
  }

  public Optional<Version> latest(long appId) {
    return jdbc.one(
        "SELECT "
            + COLUMNS
            + " FROM app_versions WHERE app_id = ? ORDER BY version_no DESC LIMIT 1",
        VersionStore::row,
        appId);
  }

  private static Version row(ResultSet rs) throws SQLException {
    int timeout = rs.getInt(4);
    Integer timeoutSeconds = rs.wasNull() ? null : timeout;
    return new Version(
        rs.getLong(1),
        rs.getInt(2),
        rs.getString(3),
        timeoutSeconds,
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getObject(9, OffsetDateTime.class));
  }
}
