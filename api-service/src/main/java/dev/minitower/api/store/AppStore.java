package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code apps}, every query scoped by team (Hibernate ORM; {@link AppEntity}
 * stays in this package).
 */
@ApplicationScoped
public class AppStore {

  public record App(
      long id,
      String slug,
      String description,
      boolean disabled,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {}

  /** Inserts the app; empty when the team already has this slug (also under a race, gap 18). */
  public Optional<App> insert(long teamId, String slug, String description) {
    if (find(teamId, slug).isPresent()) {
      return Optional.empty();
    }
    AppEntity app = new AppEntity();
    app.teamId = teamId;
    app.slug = slug;
    app.description = description;
    try {
      app.persistAndFlush();
    } catch (PersistenceException e) {
      if (UniqueViolation.on(e, "apps_team_slug_uq")) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(app.toRecord());
  }

  public Optional<App> find(long teamId, String slug) {
    return AppEntity.<AppEntity>find("teamId = ?1 and slug = ?2", teamId, slug)
        .firstResultOptional()
        .map(AppEntity::toRecord);
  }

  /** Locks the app row until the transaction ends: serialises version numbering per app. */
  public Optional<App> findForUpdate(long teamId, String slug) {
    return AppEntity.<AppEntity>find("teamId = ?1 and slug = ?2", teamId, slug)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional()
        .map(AppEntity::toRecord);
  }

  /** Ordered by slug in byte order ({@code COLLATE "C"}), as the original lists them. */
  @SuppressWarnings("unchecked")
  public List<App> list(long teamId, int limit, long offset) {
    List<AppEntity> rows =
        AppEntity.getEntityManager()
            .createNativeQuery(
                "SELECT * FROM apps WHERE team_id = ?1 ORDER BY slug COLLATE \"C\""
                    + " LIMIT ?2 OFFSET ?3",
                AppEntity.class)
            .setParameter(1, teamId)
            .setParameter(2, limit)
            .setParameter(3, offset)
            .getResultList();
    return rows.stream().map(AppEntity::toRecord).toList();
  }
}
