package dev.minitower.api.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.Generated;

/** A row of {@code team_tokens} (only the SHA-256 digest of a token); never leaves this package. */
@Entity
@Table(name = "team_tokens")
class TeamTokenEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "team_id", nullable = false)
  long teamId;

  @Column(name = "token_hash", nullable = false)
  String tokenHash;

  String name;

  @Column(nullable = false)
  String role;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @Column(name = "last_used_at")
  OffsetDateTime lastUsedAt;

  @Column(name = "expires_at")
  OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  OffsetDateTime revokedAt;

  static TeamTokenEntity of(
      long teamId, String hash, String name, String role, OffsetDateTime expiresAt) {
    TeamTokenEntity t = new TeamTokenEntity();
    t.teamId = teamId;
    t.tokenHash = hash;
    t.name = name;
    t.role = role;
    t.expiresAt = expiresAt;
    return t;
  }

  TokenStore.TokenRow toRecord() {
    return new TokenStore.TokenRow(id, name, role, createdAt, lastUsedAt, expiresAt, revokedAt);
  }
}
