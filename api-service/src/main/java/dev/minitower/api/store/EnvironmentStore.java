package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code environments} (Hibernate ORM; {@link EnvironmentEntity} stays in this
 * package). {@link #find} stays plain SQL: run creation resolves its environment with it, and the
 * entity load measured slower on that path.
 */
@ApplicationScoped
public class EnvironmentStore {
  public static final String DEFAULT = "default";

  public record Environment(long id, String name, boolean isDefault, OffsetDateTime createdAt) {}

  static final String COLUMNS = "id, name, is_default, created_at";

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
    // ON CONFLICT: two first uses at once both succeed (a persist would fail the loser).
    EnvironmentEntity.getEntityManager()
        .createNativeQuery(
            "INSERT INTO environments (team_id, name, is_default) VALUES (?1, 'default', true)"
                + " ON CONFLICT DO NOTHING")
        .setParameter(1, teamId)
        .executeUpdate();
    return find(teamId, DEFAULT).orElseThrow();
  }

  /** Inserts a non-default environment; empty when the name exists in the team. */
  public Optional<Environment> insert(long teamId, String name) {
    if (find(teamId, name).isPresent()) {
      return Optional.empty();
    }
    EnvironmentEntity env = new EnvironmentEntity();
    env.teamId = teamId;
    env.name = name;
    try {
      env.persistAndFlush();
    } catch (PersistenceException e) {
      if (UniqueViolation.on(e, "environments_team_name_uq")) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(env.toRecord());
  }

  public Optional<Environment> find(long teamId, String name) {
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM environments WHERE team_id = ? AND name = ?",
        EnvironmentStore::row,
        teamId,
        name);
  }

  public List<Environment> list(long teamId) {
    return EnvironmentEntity.<EnvironmentEntity>list("teamId = ?1 order by name", teamId).stream()
        .map(EnvironmentEntity::toRecord)
        .toList();
  }

  private static Environment row(ResultSet rs) throws SQLException {
    return row(rs, 0);
  }

  /** The {@link #COLUMNS} of an environment starting after column {@code at}. */
  static Environment row(ResultSet rs, int at) throws SQLException {
    return new Environment(
        rs.getLong(at + 1),
        rs.getString(at + 2),
        rs.getBoolean(at + 3),
        rs.getObject(at + 4, OffsetDateTime.class));
  }
}
