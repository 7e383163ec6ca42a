package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code runner_registration_tokens}: a team's tokens for registering its own
 * runners (runner-service verifies them by digest).
 */
@ApplicationScoped
public class RunnerTokenStore {

  public record RunnerTokenRow(
      long id,
      String name,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt) {}

  private static final String COLUMNS = "id, name, created_at, expires_at, revoked_at";

  private final Jdbc jdbc;

  public RunnerTokenStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public RunnerTokenRow insert(long teamId, String hash, String name, OffsetDateTime expiresAt) {
    return jdbc.one(
            "INSERT INTO runner_registration_tokens (team_id, token_hash, name, expires_at)"
                + " VALUES (?, ?, ?, ?) RETURNING "
                + COLUMNS,
            RunnerTokenStore::row,
            teamId,
            hash,
            name,
            expiresAt)
        .orElseThrow();
  }

  public List<RunnerTokenRow> list(long teamId) {
    return jdbc.list(
        "SELECT " + COLUMNS + " FROM runner_registration_tokens WHERE team_id = ? ORDER BY id",
        RunnerTokenStore::row,
        teamId);
  }

  public Optional<RunnerTokenRow> find(long teamId, long id) {
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM runner_registration_tokens WHERE team_id = ? AND id = ?",
        RunnerTokenStore::row,
        teamId,
        id);
  }

  public void revoke(long teamId, long id, OffsetDateTime now) {
    jdbc.update(
        "UPDATE runner_registration_tokens SET revoked_at = ?"
            + " WHERE team_id = ? AND id = ? AND revoked_at IS NULL",
        now,
        teamId,
        id);
  }

  private static RunnerTokenRow row(ResultSet rs) throws SQLException {
    return new RunnerTokenRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getObject(3, OffsetDateTime.class),
        rs.getObject(4, OffsetDateTime.class),
        rs.getObject(5, OffsetDateTime.class));
  }
}
