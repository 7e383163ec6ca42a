package dev.minitower.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.platform.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The login/signup limiter on a settable clock: windows, Retry-After, expiry and the size bound.
 */
class RateLimiterTest {

  /** A clock the test moves by hand; Caffeine's ticker reads it too. */
  static final class SettableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final SettableClock clock = new SettableClock();

  @Test
  void refusesBeyondTheLimitWithRetryAfterUntilTheWindowEnds() {
    RateLimiter limiter = new RateLimiter(clock, 1000, Runnable::run);
    limiter.acquire("login|a|team", 2);
    clock.advance(Duration.ofSeconds(15));
    limiter.acquire("login|a|team", 2);
    assertThatThrownBy(() -> limiter.acquire("login|a|team", 2))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.code()).isEqualTo("rate_limited");
              assertThat(e.details()).isEqualTo(45L);
            });
    limiter.acquire("login|a|other", 2);
    clock.advance(Duration.ofSeconds(45));
    limiter.acquire("login|a|team", 2);
  }

  @Test
  void windowsExpireOneWindowAfterTheyOpenedEvenWhenHitAgain() {
    RateLimiter limiter = new RateLimiter(clock, 1000, Runnable::run);
    for (int i = 0; i < 100; i++) {
      limiter.acquire("k" + i, 10);
    }
    clock.advance(Duration.ofSeconds(59));
    limiter.acquire("k0", 10);
    assertThat(limiter.size()).isEqualTo(100);
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.size()).isZero();
  }

  @Test
  void distinctKeysBeyondTheMaximumAreBoundedWithoutSweepingTheMap() {
    RateLimiter limiter = new RateLimiter(clock, 10_000, Runnable::run);
    long started = System.nanoTime();
    for (int i = 0; i < 200_000; i++) {
      limiter.acquire("login|10.0.0.1|slug-" + i, 10);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(limiter.size()).isLessThanOrEqualTo(10_000);
    // A sweep of the whole map per call would be ~10^9 steps here; bounded work is well under.
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aKeyStillCountedKeepsItsWindowWhileOthersComeAndGo() {
    RateLimiter limiter = new RateLimiter(clock, 1000, Runnable::run);
    limiter.acquire("victim", 1);
    for (int i = 0; i < 5_000; i++) {
      limiter.acquire("noise-" + i, 1);
      if (i % 100 == 0) {
        assertThatThrownBy(() -> limiter.acquire("victim", 1)).isInstanceOf(ApiException.class);
      }
    }
    assertThat(limiter.size()).isLessThanOrEqualTo(1000);
  }

  @Test
  void theProductionLimiterIsBounded() {
    assertThat(RateLimiter.MAX_KEYS).isEqualTo(100_000);
    new RateLimiter(Clock.systemUTC()).acquire("x", 1);
  }
}
