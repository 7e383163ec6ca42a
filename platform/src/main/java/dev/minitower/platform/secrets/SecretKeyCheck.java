package dev.minitower.platform.secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The start-up rule of the services that hold the secrets key (api-service, runner-service): a
 * service refuses to start when stored secrets exist that it could not decrypt, i.e. when no key is
 * configured or a stored key id is neither the current key nor an old one. It never reads values.
 */
public final class SecretKeyCheck {
  private static final Logger LOG = Logger.getLogger(SecretKeyCheck.class);

  private SecretKeyCheck() {}

  /**
   * @throws IllegalStateException with the operator's fix when the stored secrets cannot be served
   */
  public static void verify(DataSource dataSource, Optional<SecretCipher> cipher, String service) {
    TreeMap<String, Long> byKey = new TreeMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT key_id, count(*) FROM team_secrets GROUP BY key_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byKey.put(rs.getString(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return; // schema not migrated yet: nothing stored
      }
      // A service starts while the database is down (and reports not ready); the check then
      // cannot run. A run needing secrets that this service cannot decrypt still fails at lease
      // with a clear message.
      LOG.warnf(
          "%s: could not check at start whether stored team secrets can be decrypted (%s);"
              + " the check runs at the next start",
          service, e.getMessage());
      return;
    }
    long total = byKey.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return;
    }
    if (cipher.isEmpty()) {
      throw new IllegalStateException(
          service
              + " refuses to start: the database holds "
              + total
              + " team secret(s) but MINITOWER_SECRETS_KEY is not set. Give this service the"
              + " key the secrets were stored with (key id"
              + (byKey.size() == 1 ? " " : "s ")
              + String.join(", ", byKey.keySet())
              + ").");
    }
    for (String keyId : byKey.keySet()) {
      if (!cipher.get().keyIds().contains(keyId)) {
        throw new IllegalStateException(
            service
                + " refuses to start: "
                + byKey.get(keyId)
                + " team secret(s) are encrypted under key id "
                + keyId
                + ", which is neither MINITOWER_SECRETS_KEY (key id "
                + cipher.get().currentKeyId()
                + ") nor in MINITOWER_SECRETS_OLD_KEYS. Add the old key to"
                + " MINITOWER_SECRETS_OLD_KEYS, then re-encrypt.");
      }
    }
  }
}
