package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code app_versions} (Hibernate ORM; {@link AppVersionEntity} stays in this
 * package). {@link #find} and {@link #latest} stay plain SQL: run creation resolves its version
 * with them, and the entity load measured slower on that path.
 */
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

  static final int COLUMN_COUNT = 9;

  static final String COLUMNS =
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
    Integer next =
        AppVersionEntity.getEntityManager()
            .createQuery(
                "select coalesce(max(v.versionNo), 0) + 1 from AppVersionEntity v"
                    + " where v.appId = :app",
                Integer.class)
            .setParameter("app", v.appId())
            .getSingleResult();
    AppVersionEntity row = new AppVersionEntity();
    row.appId = v.appId();
    row.versionNo = next;
    row.artifactSha256 = v.artifactSha256();
    row.artifactSize = v.artifactSize();
    row.entrypoint = v.entrypoint();
    row.timeoutSeconds = v.timeoutSeconds();
    row.paramsSchema = v.paramsSchemaJson();
    row.towerfileToml = v.towerfileToml();
    row.importPaths = v.importPathsJson();
    row.secretNames = v.secretNames().toArray(String[]::new);
    row.persist();
    return row.toRecord();
  }

  /** Newest first; a native query because the offset may exceed an {@code int}. */
  @SuppressWarnings("unchecked")
  public List<Version> list(long appId, int limit, long offset) {
    List<AppVersionEntity> rows =
        AppVersionEntity.getEntityManager()
            .createNativeQuery(
                "SELECT id, app_id, version_no, artifact_sha256, artifact_size, entrypoint,"
                    + " timeout_seconds, params_schema, towerfile_toml, import_paths,"
                    + " secret_names, created_at FROM app_versions WHERE app_id = ?1"
                    + " ORDER BY version_no DESC LIMIT ?2 OFFSET ?3",
                AppVersionEntity.class)
            .setParameter(1, appId)
            .setParameter(2, limit)
            .setParameter(3, offset)
            .getResultList();
    return rows.stream().map(AppVersionEntity::toRecord).toList();
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
    return row(rs, 0);
  }

  /** The {@link #COLUMNS} of a version starting after column {@code at}. */
  static Version row(ResultSet rs, int at) throws SQLException {
    int timeout = rs.getInt(at + 4);
    Integer timeoutSeconds = rs.wasNull() ? null : timeout;
    return new Version(
        rs.getLong(at + 1),
        rs.getInt(at + 2),
        rs.getString(at + 3),
        timeoutSeconds,
        rs.getString(at + 5),
        rs.getString(at + 6),
        rs.getString(at + 7),
        rs.getString(at + 8),
        rs.getObject(at + 9, OffsetDateTime.class));
  }
}
