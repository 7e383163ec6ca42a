package dev.minitower.store.runs;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The time by which the reaper and the runner-offline sweep judge leases and liveness: {@code null}
 * in production, which means the database's {@code now()}, the clock that set the leases. Another
 * host's clock must never judge a lease (a scheduler whose clock runs ahead would reap leases that
 * are still live). Tests replace this bean with a settable instant, as River's {@code NowUTCOrNil}.
 */
@DefaultBean
@ApplicationScoped
public class LeaseClock {

  /** The instant to judge by, or null for the database's clock. */
  public Instant asOf() {
    return null;
  }
}
