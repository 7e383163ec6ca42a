package dev.minitower.scheduler;

import dev.minitower.store.runs.LeaseClock;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Tests judge leases by the settable clock (production: the database's clock, null). */
@Singleton
public class SettableLeaseClock extends LeaseClock {
  @Inject SettableClock clock;

  @Override
  public Instant asOf() {
    return clock.instant();
  }
}
