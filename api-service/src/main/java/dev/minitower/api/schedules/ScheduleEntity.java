package dev.minitower.api.schedules;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.hibernate.annotations.CurrentTimestamp;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code schedules}; never leaves {@link ScheduleStore}, which maps it to {@link
 * ScheduleStore.Row}. {@code last_fired_at} belongs to scheduler-service (it fires the schedule)
 * and is never written from here. {@code input} is JSON text both ways (bound as {@code jsonb},
 * read as PostgreSQL prints it).
 */
@Entity
@Table(name = "schedules")
class ScheduleEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "team_id", nullable = false, updatable = false)
  long teamId;

  @Column(name = "app_id", nullable = false, updatable = false)
  long appId;

  /** The app's slug, read with the row (the app's slug never changes). */
  @Formula("(SELECT a.slug FROM apps a WHERE a.id = app_id)")
  String appSlug;

  @Column(nullable = false)
  String name;

  @Column(nullable = false)
  String cron;

  @Column(nullable = false)
  String timezone;

  @Column(name = "environment_name", nullable = false)
  String environmentName;

  @Column(name = "version_no")
  Integer versionNo;

  @JdbcTypeCode(SqlTypes.JSON)
  String input;

  @Column(nullable = false)
  int priority;

  @Column(name = "max_retries", nullable = false)
  int maxRetries;

  @Column(nullable = false)
  boolean enabled;

  @Column(name = "overlap_policy", nullable = false)
  String overlapPolicy;

  @Column(name = "catchup_policy", nullable = false)
  String catchupPolicy;

  @Column(name = "catchup_max", nullable = false)
  int catchupMax;

  @Column(name = "next_fire_at")
  OffsetDateTime nextFireAt;

  @Column(name = "last_fired_at", insertable = false, updatable = false)
  OffsetDateTime lastFiredAt;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  OffsetDateTime createdAt;

  /** The database's time of the insert and of every update (not the JVM's). */
  @CurrentTimestamp
  @Column(name = "updated_at", nullable = false)
  OffsetDateTime updatedAt;

  static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
