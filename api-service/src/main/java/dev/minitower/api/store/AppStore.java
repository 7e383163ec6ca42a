package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Writes and reads of {@code apps}; every query is scoped by team. */
@ApplicationScoped
public class AppStore {

  public record App(
      long id,
      String slug,
      String description,
      boolean disabled,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {}

  private static final String COLUMNS = "id, slug, description, disabled, created_at, updated_at";

  private final Jdbc jdbc;

  public AppStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the app; empty when the team already has this slug (also under a race, gap 18). */
  public Optional<App> insert(long teamId, String slug, String description) {
    return jdbc.one(
        "INSERT INTO apps (team_id, slug, description) VALUES (?, ?, ?)"
            + " ON CONFLICT (team_id, slug) DO NOTHING RETURNING "
            + COLUMNS,
        AppStore::row,
        teamId,
        slug,
        description);
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
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM apps WHERE team_id = ? AND slug = ? FOR UPDATE",
        AppStore::row,
        teamId,
        slug);
  }

  public List<App> list(long teamId, int limit, long offset) {
    return jdbc.list(
        "SELECT "
            + COLUMNS
            + " FROM apps WHERE team_id = ? ORDER BY slug COLLATE \"C\" LIMIT ? OFFSET ?",
        AppStore::row,
        teamId,
        limit,
        offset);
  }

  private static App row(ResultSet rs) throws SQLException {
    return new App(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getBoolean(4),
        rs.getObject(5, OffsetDateTime.class),
        rs.getObject(6, OffsetDateTime.class));
  }
}
