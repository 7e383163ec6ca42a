package dev.minitower.api.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.CurrentTimestamp;
import org.hibernate.annotations.Generated;

/** A row of {@code teams}; never leaves this package ({@link TeamStore} maps it). */
@Entity
@Table(name = "teams")
class TeamEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String slug;

  @Column(nullable = false)
  String name;

  @Column(name = "password_hash")
  String passwordHash;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @CurrentTimestamp
  @Column(name = "updated_at", nullable = false)
  OffsetDateTime updatedAt;

  /** Changes the password (dirty-checked: written at the next flush, with the database's time). */
  void changePasswordHash(String hash) {
    this.passwordHash = hash;
  }

  TeamStore.Team toRecord() {
    return new TeamStore.Team(id, slug, name, passwordHash);
  }
}
