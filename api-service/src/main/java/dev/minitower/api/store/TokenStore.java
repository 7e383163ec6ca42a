package dev.minitower.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes and reads of {@code team_tokens}. Only SHA-256 digests are stored.
 *
 * <p>Minting, listing and revoking go through Hibernate ORM ({@link TeamTokenEntity} stays in this
 * package). The authentication path ({@link #findActive}, {@link #touch}, {@link #stillActive})
 * stays plain SQL: it runs on the security layer's worker thread and in the live streams' timer,
 * outside any request scope or transaction, behind the token cache; {@code touch} is a single
 * guarded statement that must not read the row first.
 */
@ApplicationScoped
public class TokenStore {

  public record TokenRow(
      long id,
      String name,
      String role,
      OffsetDateTime createdAt,
      OffsetDateTime lastUsedAt,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt) {}

  public record ActiveToken(
      long tokenId,
      long teamId,
      String teamSlug,
      String role,
      OffsetDateTime lastUsedAt,
      OffsetDateTime expiresAt) {}

  private final Jdbc jdbc;

  public TokenStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public TokenRow insert(
      long teamId, String hash, String name, String role, OffsetDateTime expiresAt) {
    TeamTokenEntity token = TeamTokenEntity.of(teamId, hash, name, role, expiresAt);
    token.persist();
    return token.toRecord();
  }

  /** The live token with this digest: not revoked and not expired at {@code now}. */
  public Optional<ActiveToken> findActive(String hash, OffsetDateTime now) {
    return jdbc.one(
        "SELECT t.id, t.team_id, tm.slug, t.role, t.last_used_at, t.expires_at FROM team_tokens t"
            + " JOIN teams tm ON tm.id = t.team_id"
            + " WHERE t.token_hash = ? AND t.revoked_at IS NULL"
            + " AND (t.expires_at IS NULL OR t.expires_at > ?)",
        rs ->
            new ActiveToken(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getObject(5, OffsetDateTime.class),
                rs.getObject(6, OffsetDateTime.class)),
        hash,
        now);
  }

  /** Which of {@code tokenIds} are still live at {@code now} (not revoked, not expired). */
  public Set<Long> stillActive(Collection<Long> tokenIds, OffsetDateTime now) {
    if (tokenIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        jdbc.list(
            "SELECT id FROM team_tokens WHERE id = ANY (?) AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)",
            rs -> rs.getLong(1),
            tokenIds.toArray(Long[]::new),
            now));
  }

  /** Records use, at most once a minute per token (the guard keeps concurrent requests cheap). */
  public void touch(long tokenId, OffsetDateTime now) {
    jdbc.update(
        "UPDATE team_tokens SET last_used_at = ? WHERE id = ?"
            + " AND (last_used_at IS NULL OR last_used_at < ? - interval '1 minute')",
        now,
        tokenId,
        now);
  }

  public List<TokenRow> list(long teamId) {
    return TeamTokenEntity.<TeamTokenEntity>list("teamId = ?1 order by id", teamId).stream()
        .map(TeamTokenEntity::toRecord)
        .toList();
  }

  public Optional<TokenRow> find(long teamId, long tokenId) {
    return TeamTokenEntity.<TeamTokenEntity>find("teamId = ?1 and id = ?2", teamId, tokenId)
        .firstResultOptional()
        .map(TeamTokenEntity::toRecord);
  }

  /**
   * Revokes the token if it belongs to the team; idempotent (keeps the first revocation time). One
   * guarded statement, so two concurrent revocations cannot overwrite the first time.
   */
  public void revoke(long teamId, long tokenId, OffsetDateTime now) {
    TeamTokenEntity.update(
        "revokedAt = ?1 where teamId = ?2 and id = ?3 and revokedAt is null", now, teamId, tokenId);
  }
}
