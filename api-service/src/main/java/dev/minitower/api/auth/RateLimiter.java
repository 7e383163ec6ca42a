package dev.minitower.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Fixed one-minute windows per key, in memory (per replica). Guards the unauthenticated,
 * bcrypt-heavy endpoints (gap 4); beyond the limit the caller gets 429 {@code rate_limited} with
 * Retry-After.
 *
 * <p>The windows live in a bounded cache: each expires one window after it opened, and at most
 * {@value #MAX_KEYS} keys are kept (the least useful are evicted first), so a flood of distinct
 * slugs or addresses costs constant memory and constant time per call. An evicted key merely starts
 * a fresh window.
 */
@ApplicationScoped
public class RateLimiter {
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final long MAX_KEYS = 100_000;

  private final Clock clock;
  private final Cache<String, Window> windows;

  @Inject
  public RateLimiter(Clock clock) {
    this(clock, MAX_KEYS, Runnable::run);
  }

  /** The cache reads {@code clock} for expiry, so a settable clock drives it in tests. */
  RateLimiter(Clock clock, long maxKeys, Executor maintenance) {
    this.clock = clock;
    this.windows =
        Caffeine.newBuilder()
            .ticker(() -> clock.millis() * 1_000_000L)
            .executor(maintenance)
            .maximumSize(maxKeys)
            .expireAfter(new WindowEnd())
            .build();
  }

  private record Window(long start, int count) {}

  /** A window is dropped when it ends (its start plus one window), however often it was hit. */
  private static final class WindowEnd implements Expiry<String, Window> {
    private static long untilEnd(Window w, long nowNanos) {
      return Math.max(0, (w.start() + WINDOW.toMillis()) * 1_000_000L - nowNanos);
    }

    @Override
    public long expireAfterCreate(String key, Window w, long currentTime) {
      return untilEnd(w, currentTime);
    }

    @Override
    public long expireAfterUpdate(String key, Window w, long currentTime, long currentDuration) {
      return untilEnd(w, currentTime);
    }

    @Override
    public long expireAfterRead(String key, Window w, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Counts one attempt for {@code key}; throws 429 when more than {@code limit} this window. */
  public void acquire(String key, int limit) {
    long now = clock.millis();
    Window w =
        windows
            .asMap()
            .compute(
                key,
                (k, old) ->
                    old == null || now - old.start() >= WINDOW.toMillis()
                        ? new Window(now, 1)
                        : new Window(old.start(), old.count() + 1));
    if (w.count() > limit) {
      long retryAfter = Math.max(1, (w.start() + WINDOW.toMillis() - now + 999) / 1000);
      throw new ApiException(429, "rate_limited", "too many attempts, retry later", retryAfter);
    }
  }

  /** Keys currently held (after pending expiry and eviction work); for tests and a gauge. */
  long size() {
    windows.cleanUp();
    return windows.estimatedSize();
  }
}
