package dev.minitower.api.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Generated;

/**
 * A row of {@code app_versions} (the version's metadata; the bytes are run-store's {@code
 * artifacts}); never leaves this package ({@link VersionStore} maps it). The {@code jsonb} columns
 * are JSON text both ways, exactly as PostgreSQL prints them.
 */
@Entity
@Table(name = "app_versions")
class AppVersionEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "app_id", nullable = false)
  long appId;

  @Column(name = "version_no", nullable = false)
  int versionNo;

  @Column(name = "artifact_sha256", nullable = false)
  String artifactSha256;

  @Column(name = "artifact_size", nullable = false)
  long artifactSize;

  @Column(nullable = false)
  String entrypoint;

  @Column(name = "timeout_seconds")
  Integer timeoutSeconds;

  @Column(name = "params_schema", columnDefinition = "jsonb")
  @ColumnTransformer(read = "params_schema::text", write = "CAST(? AS jsonb)")
  String paramsSchema;

  @Column(name = "towerfile_toml", nullable = false)
  String towerfileToml;

  @Column(name = "import_paths", nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(read = "import_paths::text", write = "CAST(? AS jsonb)")
  String importPaths;

  @Column(name = "secret_names", nullable = false)
  String[] secretNames;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  VersionStore.Version toRecord() {
    return new VersionStore.Version(
        id,
        versionNo,
        entrypoint,
        timeoutSeconds,
        paramsSchema,
        artifactSha256,
        towerfileToml,
        importPaths,
        createdAt);
  }
}
