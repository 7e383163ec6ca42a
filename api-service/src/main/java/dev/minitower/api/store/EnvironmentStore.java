package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Writes and reads of {@code environments}. */
@ApplicationScoped
public class EnvironmentStore {
  public static final String DEFAULT = "default";

  public record Environment(long id, String name, boolean isDefault, OffsetDateTime createdAt) {}

  private static final String COLUMNS = "id, name, is_default, created_at";

  private final Jdbc jdbc;

  public EnvironmentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Get-or-create the team's {@code default} environment (safe under concurrency). */
  public Environment ensureDefault(long teamId) {
    // Read first: it exists for every team after its first run (run creation calls this).
    Optional<Environment> existing = find(teamId, DEFAULT);
    if (existing.isPresent()) {
      return existing.get();
    }
    jdbc.update(
        "INSERT INTO environments (team_id, name, is_default) VALUES (?, 'default', true)"
            + " ON CONFLICT DO NOTHING",
        teamId);
    return find(teamId, DEFAULT).orElseThrow();
  }

  /** Inserts a non-default environment; empty when the name exists in the team. */
  public Optional<Environment> insert(long teamId, String name) {
    return jdbc.one(
        "INSERT INTO environments (team_id, name) VALUES (?, ?)"
            + " ON CONFLICT (team_id, name) DO NOTHING RETURNING "
            + COLUMNS,
        EnvironmentStore::row,
        teamId,
        name);
  }

  public Optional<Environment> find(long teamId, String name) {
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM environments WHERE team_id = ? AND name = ?",
        EnvironmentStore::row,
        teamId,
        name);
  }

  public List<Environment> list(long teamId) {
    return jdbc.list(
        "SELECT " + COLUMNS + " FROM environments WHERE team_id = ? ORDER BY name",
        EnvironmentStore::row,
        teamId);
  }

  private static Environment row(ResultSet rs) throws SQLException {
    return new Environment(
        rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getObject(4, OffsetDateTime.class));
  }
}
