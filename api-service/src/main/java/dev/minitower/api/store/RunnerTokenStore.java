package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads of {@code runner_registration_tokens}: a team's tokens for registering its own
 * runners (runner-service verifies them by digest). Hibernate ORM; {@link RunnerTokenEntity} stays
 * in this package.
 */
@ApplicationScoped
public class RunnerTokenStore {

  public record RunnerTokenRow(
      long id,
      String name,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt) {}

  public RunnerTokenRow insert(long teamId, String hash, String name, OffsetDateTime expiresAt) {
    RunnerTokenEntity token = new RunnerTokenEntity();
    token.teamId = teamId;
    token.tokenHash = hash;
    token.name = name;
    token.expiresAt = expiresAt;
    token.persist();
    return token.toRecord();
  }

  public List<RunnerTokenRow> list(long teamId) {
    return RunnerTokenEntity.<RunnerTokenEntity>list("teamId = ?1 order by id", teamId).stream()
        .map(RunnerTokenEntity::toRecord)
        .toList();
  }

  public Optional<RunnerTokenRow> find(long teamId, long id) {
    return RunnerTokenEntity.<RunnerTokenEntity>find("teamId = ?1 and id = ?2", teamId, id)
        .firstResultOptional()
        .map(RunnerTokenEntity::toRecord);
  }

  /** Idempotent, one guarded statement: the first revocation time is kept. */
  public void revoke(long teamId, long id, OffsetDateTime now) {
    RunnerTokenEntity.update(
        "revokedAt = ?1 where teamId = ?2 and id = ?3 and revokedAt is null", now, teamId, id);
  }
}
