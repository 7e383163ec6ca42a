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

/** A row of {@code environments}; never leaves this package ({@link EnvironmentStore} maps it). */
@Entity
@Table(name = "environments")
class EnvironmentEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "team_id", nullable = false)
  long teamId;

  @Column(nullable = false)
  String name;

  @Column(name = "is_default", nullable = false)
  boolean isDefault;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @Generated
  @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime updatedAt;

  EnvironmentStore.Environment toRecord() {
    return new EnvironmentStore.Environment(id, name, isDefault, createdAt);
  }
}
