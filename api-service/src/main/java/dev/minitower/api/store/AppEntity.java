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

/** A row of {@code apps}; never leaves this package ({@link AppStore} maps it). */
@Entity
@Table(name = "apps")
class AppEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "team_id", nullable = false)
  long teamId;

  @Column(nullable = false)
  String slug;

  String description;

  @Generated
  @Column(nullable = false, insertable = false, updatable = false)
  boolean disabled;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @Generated
  @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime updatedAt;

  AppStore.App toRecord() {
    return new AppStore.App(id, slug, description, disabled, createdAt, updatedAt);
  }
}
