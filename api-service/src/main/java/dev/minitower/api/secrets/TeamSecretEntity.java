package dev.minitower.api.secrets;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.Generated;

/**
 * A row of {@code team_secrets}: ciphertext only, never a value. Never leaves {@link
 * TeamSecretsStore}. Values are written by the store's upsert statement and its re-encryption
 * update, never through this entity's dirty state, so {@code updated_at} moves only when a value is
 * replaced (re-encryption keeps it).
 */
@Entity
@Table(name = "team_secrets")
class TeamSecretEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "team_id", nullable = false, updatable = false)
  long teamId;

  @Column(nullable = false, updatable = false)
  String name;

  @Column(updatable = false)
  String environment;

  @Column(name = "key_id", nullable = false)
  String keyId;

  @Column(nullable = false)
  byte[] nonce;

  @Column(nullable = false)
  byte[] ciphertext;

  @Column(nullable = false)
  String fingerprint;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @Generated
  @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime updatedAt;
}
