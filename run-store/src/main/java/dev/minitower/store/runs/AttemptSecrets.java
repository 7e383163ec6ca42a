package dev.minitower.store.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The names (never the values) of the team secrets an attempt was given, recorded in the lease
 * transaction. Static on the caller's connection: runner-service resolves the values on that same
 * connection just before, so recording them costs no second connection handle.
 */
public final class AttemptSecrets {
  private AttemptSecrets() {}

  /** Idempotent: a second record of one attempt does nothing. */
  public static final String RECORD_NAMES =
      "INSERT INTO run_attempt_secrets (attempt_id, secret_names) VALUES (?, ?)"
          + " ON CONFLICT (attempt_id) DO NOTHING";

  /** Records {@code names} on the attempt; must run inside the lease transaction. */
  public static void recordNames(Connection c, long attemptId, List<String> names)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RECORD_NAMES)) {
      ps.setLong(1, attemptId);
      ps.setArray(2, c.createArrayOf("text", names.toArray()));
      ps.executeUpdate();
    }
  }
}
