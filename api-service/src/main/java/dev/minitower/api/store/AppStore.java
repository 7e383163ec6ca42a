package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code apps}, every query scoped by team (Hibernate ORM; {@link AppEntity}
 * stays in this package). {@link #find} stays plain SQL: every request on an app, run creation
 * first, resolves its app with it, and the entity load measured slower on that path.
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

  static final String COLUMNS = "id, slug, description, disabled, created_at, updated_at";
  static final int COLUMN_COUNT = 6;

  private final Jdbc jdbc;

  public AppStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

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
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM apps WHERE team_id = ? AND slug = ?",
        AppStore::row,
        teamId,
        slug);
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

  private static App row(ResultSet rs) throws SQLException {
    return row(rs, 0);
  }

  /** The {@link #COLUMNS} of an app starting after column {@code at}. */
  static App row(ResultSet rs, int at) throws SQLException {
    return new App(
        rs.getLong(at + 1),
        rs.getString(at + 2),
        rs.getString(at + 3),
        rs.getBoolean(at + 4),
        rs.getObject(at + 5, OffsetDateTime.class),
        rs.getObject(at + 6, OffsetDateTime.class));
  }
}
