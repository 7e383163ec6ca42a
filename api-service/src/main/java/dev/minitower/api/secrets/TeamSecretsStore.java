package dev.minitower.api.secrets;

import dev.minitower.api.store.Jdbc;
import dev.minitower.platform.secrets.SecretCipher.Sealed;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Writes and reads of {@code team_secrets}; every statement is scoped by team except the operator's
 * re-encryption. Only ciphertext is ever written; listing never selects it.
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

  private static final String INFO = "name, environment, fingerprint, created_at, updated_at";

  private final Jdbc jdbc;

  public TeamSecretsStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public long count(long teamId) {
    return jdbc.one(
            "SELECT count(*) FROM team_secrets WHERE team_id = ?", rs -> rs.getLong(1), teamId)
        .orElse(0L);
  }

  /** Inserts or replaces the value of (team, name, environment). */
  public SecretInfo upsert(
      long teamId, String name, String environment, Sealed sealed, String fingerprint) {
    return jdbc.one(
            "INSERT INTO team_secrets (team_id, name, environment, key_id, nonce, ciphertext,"
                + " fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (team_id, name, COALESCE(environment, '')) DO UPDATE SET"
                + " key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce,"
                + " ciphertext = EXCLUDED.ciphertext, fingerprint = EXCLUDED.fingerprint,"
                + " updated_at = now() RETURNING "
                + INFO
                + ", (xmax = 0)",
            TeamSecretsStore::info,
            teamId,
            name,
            environment,
            sealed.keyId(),
            sealed.nonce(),
            sealed.ciphertext(),
            fingerprint)
        .orElseThrow();
  }

  public List<SecretInfo> list(long teamId) {
    return jdbc.list(
        "SELECT "
            + INFO
            + ", false FROM team_secrets WHERE team_id = ?"
            + " ORDER BY name, environment NULLS FIRST",
        TeamSecretsStore::info,
        teamId);
  }

  /** Deletes (team, name, environment); false when there was none. */
  public boolean delete(long teamId, String name, String environment) {
    return jdbc.update(
            "DELETE FROM team_secrets WHERE team_id = ? AND name = ?"
                + " AND COALESCE(environment, '') = COALESCE(?, '')",
            teamId,
            name,
            environment)
        > 0;
  }

  /** Up to {@code limit} values stored under a key other than {@code currentKeyId}. */
  public List<StaleRow> notUnder(String currentKeyId, int limit) {
    return jdbc.list(
        "SELECT id, team_id, name, environment, key_id, nonce, ciphertext FROM team_secrets"
            + " WHERE key_id <> ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
        rs ->
            new StaleRow(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                new Sealed(rs.getString(5), rs.getBytes(6), rs.getBytes(7))),
        currentKeyId,
        limit);
  }

  /** Replaces a value's ciphertext if it is still the one read (same key id). */
  public boolean reseal(long id, String oldKeyId, Sealed sealed, String fingerprint) {
    return jdbc.update(
            "UPDATE team_secrets SET key_id = ?, nonce = ?, ciphertext = ?, fingerprint = ?"
                + " WHERE id = ? AND key_id = ?",
            sealed.keyId(),
            sealed.nonce(),
            sealed.ciphertext(),
            fingerprint,
            id,
            oldKeyId)
        > 0;
  }

  public long countNotUnder(String currentKeyId) {
    return jdbc.one(
            "SELECT count(*) FROM team_secrets WHERE key_id <> ?",
            rs -> rs.getLong(1),
            currentKeyId)
        .orElse(0L);
  }

  private static SecretInfo info(ResultSet rs) throws SQLException {
    return new SecretInfo(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getObject(4, OffsetDateTime.class),
        rs.getObject(5, OffsetDateTime.class),
        rs.getBoolean(6));
  }
}
