package dev.minitower.store.runners;

import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.Reads;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The reads of {@code runners}: the runner-token check of every runner call, and the runners a team
 * can see (its own and the platform's, never another team's).
 */
@ApplicationScoped
public class RunnerQueries {

  /** An online runner by the SHA-256 of its token (parameter: token hash). */
  public static final String FIND_ONLINE_BY_TOKEN_HASH =
      "SELECT id, name, environment, team_id, max_concurrent FROM runners"
          + " WHERE token_hash = ? AND status = 'online'";

  private static final String VISIBLE_TO_TEAM =
      "SELECT id, name, environment, status, last_seen_at, team_id IS NOT NULL FROM runners"
          + " WHERE team_id IS NULL OR team_id = ? ORDER BY name COLLATE \"C\", id LIMIT ?";

  /**
   * Builds the caller's own type from an online runner's columns, so the token check allocates
   * nothing beyond what the caller keeps.
   */
  @FunctionalInterface
  public interface OnlineRunner<T> {
    /** {@code teamId} null: a platform runner (all teams). */
    T of(long id, String name, String environment, Long teamId, int maxConcurrent);
  }

  /** A runner as a team sees it; {@code teamScoped} when it belongs to the team. */
  public record RunnerView(
      long id,
      String name,
      String environment,
      String status,
      OffsetDateTime lastSeenAt,
      boolean teamScoped) {}

  private final AgroalDataSource dataSource;

  RunnerQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The online runner whose token hashes to {@code tokenHash}; empty when none. Plain JDBC on one
   * prepared statement: the check runs on every cache miss of the runner-token cache.
   */
  public <T> Optional<T> findOnlineByTokenHash(String tokenHash, OnlineRunner<T> runner) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(FIND_ONLINE_BY_TOKEN_HASH)) {
      ps.setString(1, tokenHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.ofNullable(
            runner.of(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("environment"),
                Jdbc.longOrNull(rs, "team_id"),
                rs.getInt("max_concurrent")));
      }
    } catch (SQLException e) {
      throw new StoreException("authenticate runner", e);
    }
  }

  /** Platform runners (no team) plus the team's own, by name, at most {@code limit}. */
  public List<RunnerView> visibleTo(long teamId, int limit) {
    return Reads.list(
        dataSource,
        VISIBLE_TO_TEAM,
        rs ->
            new RunnerView(
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
