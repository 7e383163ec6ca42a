package dev.minitower.scheduler.reaper;

import jakarta.enterprise.inject.Vetoed;
import java.sql.SQLException;
import java.time.Instant;

/** A reaper whose every pass throws {@code failure}. Not a bean. */
@Vetoed
public class FailingReaper extends ExpiryReaper {
  private final RuntimeException failure;

  /** A reaper with a bug: an unexpected failure (logged as an ERROR). */
  public FailingReaper() {
    this(new IllegalStateException("reaper bug"));
  }

  public FailingReaper(RuntimeException failure) {
    super(null, null, null);
    this.failure = failure;
  }

  /** A reaper whose database cannot be reached (connection refused, SQLSTATE 08001). */
  public static FailingReaper databaseDown() {
    return new FailingReaper(
        new IllegalStateException(
            "reap failed", new SQLException("Connection to 127.0.0.1:5 refused", "08001")));
  }

  @Override
  public Pass reapExpired(Instant now) {
    throw failure;
  }
}
