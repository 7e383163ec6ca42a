package dev.minitower.api.store;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a lost insert race (SQLSTATE 23505 on a named unique constraint) from any other failure. A
 * store checks for the row first, so this only happens when a concurrent transaction inserted the
 * same key between that check and the insert; the caller's transaction is then rolled back anyway
 * (its answer is a 409).
 */
public final class UniqueViolation {
  private UniqueViolation() {}

  public static boolean on(Throwable failure, String constraint) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof SQLException sql
          && "23505".equals(sql.getSQLState())
          && sql.getMessage() != null
          && sql.getMessage().contains(constraint)) {
        return true;
      }
    }
    return false;
  }
}
