package dev.minitower.api.secrets;

import dev.minitower.platform.secrets.SecretCipher.Sealed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.query.NativeQuery;

/**
 * Writes and reads of {@code team_secrets} (Hibernate ORM; {@link TeamSecretEntity} never leaves
 * this class); every query is scoped by team except the operator's re-encryption. Only ciphertext
 * is ever written; listing never selects it. The write of a value stays one native {@code INSERT …
 * ON CONFLICT DO UPDATE}: two first writes of the same secret at once both succeed (a persist would
 * fail the loser), and a replace keeps the row's id and creation time.
 */
@ApplicationScoped
public class TeamSecretsStore {

  /** A secret without its value. */
  public record SecretInfo(
      String name,
      String environment,
      String fingerprint,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      boolean inserted) {}

  /** A stored value still under another key than the current one. */
  public record StaleRow(long id, long teamId, String name, String environment, Sealed sealed) {}

  /** Skips rows another transaction holds ({@code FOR UPDATE SKIP LOCKED}). */
  private static final int SKIP_LOCKED = -2;

  private static final String UPSERT =
      "INSERT INTO team_secrets (team_id, name, environment, key_id, nonce, ciphertext,"
          + " fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
          + " ON CONFLICT (team_id, name, COALESCE(environment, '')) DO UPDATE SET"
          + " key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce,"
          + " ciphertext = EXCLUDED.ciphertext, fingerprint = EXCLUDED.fingerprint,"
          + " updated_at = now()"
          + " RETURNING name, environment, fingerprint, created_at, updated_at, (xmax = 0) AS inserted";

  public long count(long teamId) {
    return TeamSecretEntity.count("teamId", teamId);
  }

  /** Inserts or replaces the value of (team, name, environment). */
  public SecretInfo upsert(
      long teamId, String name, String environment, Sealed sealed, String fingerprint) {
    @SuppressWarnings("unchecked")
    NativeQuery<Object[]> upsert =
        TeamSecretEntity.getEntityManager().createNativeQuery(UPSERT).unwrap(NativeQuery.class);
    Object[] r =
        upsert
            .addScalar("name", String.class)
            .addScalar("environment", String.class)
            .addScalar("fingerprint", String.class)
            .addScalar("created_at", OffsetDateTime.class)
            .addScalar("updated_at", OffsetDateTime.class)
            .addScalar("inserted", Boolean.class)
            .setParameter(1, teamId)
            .setParameter(2, name)
            .setParameter(3, environment, String.class)
            .setParameter(4, sealed.keyId())
            .setParameter(5, sealed.nonce())
            .setParameter(6, sealed.ciphertext())
            .setParameter(7, fingerprint)
            .getSingleResult();
    return new SecretInfo(
        (String) r[0],
        (String) r[1],
        (String) r[2],
        (OffsetDateTime) r[3],
        (OffsetDateTime) r[4],
        (Boolean) r[5]);
  }

  /** Name order, the team-wide value before the per-environment ones; no ciphertext is read. */
  public List<SecretInfo> list(long teamId) {
    return TeamSecretEntity.getEntityManager()
        .createQuery(
            "select s.name, s.environment, s.fingerprint, s.createdAt, s.updatedAt"
                + " from TeamSecretEntity s where s.teamId = :team"
                + " order by s.name, s.environment nulls first",
            Object[].class)
        .setParameter("team", teamId)
        .getResultStream()
        .map(
            r ->
                new SecretInfo(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    (OffsetDateTime) r[3],
                    (OffsetDateTime) r[4],
                    false))
        .toList();
  }

  /** Deletes (team, name, environment); false when there was none. */
  public boolean delete(long teamId, String name, String environment) {
    long deleted =
        environment == null
            ? TeamSecretEntity.delete(
                "teamId = ?1 and name = ?2 and environment is null", teamId, name)
            : TeamSecretEntity.delete(
                "teamId = ?1 and name = ?2 and environment = ?3", teamId, name, environment);
    return deleted > 0;
  }

  /**
   * Up to {@code limit} values stored under a key other than {@code currentKeyId}, locked; rows
   * another transaction holds are skipped.
   */
  public List<StaleRow> notUnder(String currentKeyId, int limit) {
    return TeamSecretEntity.<TeamSecretEntity>find("keyId <> ?1 order by id", currentKeyId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
        .range(0, limit - 1)
        .list()
        .stream()
        .map(
            s ->
                new StaleRow(
                    s.id,
                    s.teamId,
                    s.name,
                    s.environment,
                    new Sealed(s.keyId, s.nonce, s.ciphertext)))
        .toList();
  }

  /**
   * Replaces a value's ciphertext if it is still the one read (same key id). One guarded statement;
   * {@code updated_at} stays (the value did not change).
   */
  public boolean reseal(long id, String oldKeyId, Sealed sealed, String fingerprint) {
    return TeamSecretEntity.update(
            "keyId = ?1, nonce = ?2, ciphertext = ?3, fingerprint = ?4 where id = ?5 and keyId = ?6",
            sealed.keyId(),
            sealed.nonce(),
            sealed.ciphertext(),
            fingerprint,
            id,
            oldKeyId)
        > 0;
  }

  public long countNotUnder(String currentKeyId) {
    return TeamSecretEntity.count("keyId <> ?1", currentKeyId);
  }
}
