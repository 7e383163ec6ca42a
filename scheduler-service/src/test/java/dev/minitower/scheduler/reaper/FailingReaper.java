package dev.minitower.scheduler.reaper;

import jakarta.enterprise.inject.Vetoed;
import java.time.Instant;

/** A reaper whose database is gone: every pass throws. Not a bean. */
@Vetoed
public class FailingReaper extends ExpiryReaper {
  public FailingReaper() {
    super(null, null, null, null);
  }

  @Override
  public Pass reapExpired(Instant now) {
    throw new IllegalStateException("connection refused");
  }
}
