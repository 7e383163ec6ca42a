package dev.minitower.scheduler;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The application clock in tests: replaces the platform's default clock bean; set or advanced. */
@Singleton
public class SettableClock extends Clock {
  private volatile Instant now = Instant.now();

  /** Back to real time. */
  public void reset() {
    now = Instant.now();
  }

  public Instant set(Instant instant) {
    now = instant;
    return now;
  }

  /** Real time plus {@code d} (e.g. just past a lease TTL counted from now). */
  public Instant realTimePlus(Duration d) {
    return set(Instant.now().plus(d));
  }

  public Instant advance(Duration d) {
    now = now.plus(d);
    return now;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
