package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/** Reads of {@code runners} (owned by runner-service) for the admin view. */
@ApplicationScoped
public class RunnerStore {

  public record Runner(
      long id,
      String name,
      String environment,
      String status,
      OffsetDateTime lastSeenAt,
      boolean teamScoped) {}

  private final Jdbc jdbc;

  public RunnerStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Platform runners (no team) plus the team's own runners; never another team's. */
  public List<Runner> visibleTo(long teamId, int limit) {
    return jdbc.list(
        "SELECT id, name, environment, status, last_seen_at, team_id IS NOT NULL FROM runners"
            + " WHERE team_id IS NULL OR team_id = ? ORDER BY name COLLATE \"C\", id LIMIT ?",
        rs ->
            new Runner(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getObject(5, OffsetDateTime.class),
                rs.getBoolean(6)),
        teamId,
        limit);
  }
}
