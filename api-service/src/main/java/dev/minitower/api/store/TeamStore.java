package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.util.Optional;

/** Writes and reads of {@code teams} (Hibernate ORM; {@link TeamEntity} stays in this package). */
@ApplicationScoped
public class TeamStore {

  public record Team(long id, String slug, String name, String passwordHash) {}

  /** Inserts the team; empty when the slug is taken (also under a concurrent insert). */
  public Optional<Long> insert(String slug, String name, String passwordHash) {
    if (TeamEntity.count("slug", slug) > 0) {
      return Optional.empty();
    }
    TeamEntity team = new TeamEntity();
    team.slug = slug;
    team.name = name;
    team.passwordHash = passwordHash;
    try {
      team.persistAndFlush();
    } catch (PersistenceException e) {
      if (UniqueViolation.on(e, "teams_slug_uq")) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(team.id);
  }

  public Optional<Team> findBySlug(String slug) {
    return TeamEntity.<TeamEntity>find("slug", slug)
        .firstResultOptional()
        .map(TeamEntity::toRecord);
  }

  public boolean anyExists() {
    return TeamEntity.findAll().firstResultOptional().isPresent();
  }

  /**
   * Changes the team's password. The row is updated at the next flush (at the latest at commit):
   * services that call run-store afterwards in the same transaction flush first ({@link
   * CrudSession#flushBeforeRunStore}).
   */
  public void setPasswordHash(long teamId, String hash) {
    TeamEntity team = TeamEntity.findById(teamId);
    if (team != null) {
      team.changePasswordHash(hash);
    }
  }

  /** Serialises bootstraps: "create only if no team exists" must not race with itself. */
  public void lockBootstrap() {
    TeamEntity.getEntityManager()
        .createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(7262340001)) l")
        .getSingleResult();
  }
}
