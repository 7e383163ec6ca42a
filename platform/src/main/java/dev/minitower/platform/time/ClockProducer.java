package dev.minitower.platform.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The injected clock. Application time (cron ticks, token expiry checks, rate-limit windows) comes
 * from here so tests can replace it with a settable clock; lease maths use the database clock.
 */
public class ClockProducer {

  @Produces
  @Singleton
  @DefaultBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
