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

/** A row of {@code runner_registration_tokens} (digest only); never leaves this package. */
@Entity
@Table(name = "runner_registration_tokens")
class RunnerTokenEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "team_id", nullable = false)
  long teamId;

  @Column(name = "token_hash", nullable = false)
  String tokenHash;

  String name;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @Column(name = "expires_at")
  OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  OffsetDateTime revokedAt;

  RunnerTokenStore.RunnerTokenRow toRecord() {
    return new RunnerTokenStore.RunnerTokenRow(id, name, createdAt, expiresAt, revokedAt);
  }
}
