package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Writes and reads of {@code teams}. */
@ApplicationScoped
public class TeamStore {

  public record Team(long id, String slug, String name, String passwordHash) {}

  private final Jdbc jdbc;

  public TeamStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the team; empty when the slug is taken (also under a concurrent insert). */
  public Optional<Long> insert(String slug, String name, String passwordHash) {
    return jdbc.one(
        "INSERT INTO teams (slug, name, password_hash) VALUES (?, ?, ?)"
            + " ON CONFLICT (slug) DO NOTHING RETURNING id",
        rs -> rs.getLong(1),
        slug,
        name,
        passwordHash);
  }

  public Optional<Team> findBySlug(String slug) {
    return jdbc.one(
        "SELECT id, slug, name, password_hash FROM teams WHERE slug = ?",
        rs -> new Team(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
        slug);
  }

  public boolean anyExists() {
    return jdbc.one("SELECT EXISTS (SELECT 1 FROM teams)", rs -> rs.getBoolean(1)).orElse(false);
  }

  public void setPasswordHash(long teamId, String hash) {
    jdbc.update(
        "UPDATE teams SET password_hash = ?, updated_at = now() WHERE id = ?", hash, teamId);
  }

  /** Serialises bootstraps: "create only if no team exists" must not race with itself. */
  public void lockBootstrap() {
    jdbc.one("SELECT pg_advisory_xact_lock(7262340001)", rs -> 1);
  }
}
