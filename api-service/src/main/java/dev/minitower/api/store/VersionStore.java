package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code app_versions} (Hibernate ORM; {@link AppVersionEntity} stays in this
 * package).
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
    if (versionNo < 1 || versionNo > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return AppVersionEntity.<AppVersionEntity>find(
            "appId = ?1 and versionNo = ?2", appId, (int) versionNo)
        .firstResultOptional()
        .map(AppVersionEntity::toRecord);
  }

  public Optional<Version> latest(long appId) {
    return AppVersionEntity.<AppVersionEntity>find("appId = ?1 order by versionNo desc", appId)
        .firstResultOptional()
        .map(AppVersionEntity::toRecord);
  }
}
