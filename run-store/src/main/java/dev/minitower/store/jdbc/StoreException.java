package dev.minitower.store.jdbc;

import java.sql.SQLException;

/** An unexpected database failure (the caller answers 500/503); carries the SQL state. */
public class StoreException extends RuntimeException {
  public StoreException(String operation, SQLException cause) {
    super(operation + ": " + cause.getMessage() + " [" + cause.getSQLState() + "]", cause);
  }
}
