package dev.minitower.api.auth;

import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Fixed one-minute windows per key, in memory (per replica). Guards the unauthenticated,
 * bcrypt-heavy endpoints (gap 4); beyond the limit the caller gets 429 {@code rate_limited} with
 * Retry-After.
 */
@ApplicationScoped
public class RateLimiter {
  private static final long WINDOW_MILLIS = 60_000;
  private static final int MAX_KEYS = 100_000;

  private final Clock clock;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  private record Window(long start, int count) {}

  /** Counts one attempt for {@code key}; throws 429 when more than {@code limit} this window. */
  public void acquire(String key, int limit) {
    long now = clock.millis();
    if (windows.size() > MAX_KEYS) {
      windows.entrySet().removeIf(e -> now - e.getValue().start() >= WINDOW_MILLIS);
    }
    Window w =
        windows.compute(
            key,
            (k, old) ->
                old == null || now - old.start() >= WINDOW_MILLIS
                    ? new Window(now, 1)
                    : new Window(old.start(), old.count() + 1));
    if (w.count() > limit) {
      long retryAfter = Math.max(1, (w.start() + WINDOW_MILLIS - now + 999) / 1000);
      throw new ApiException(429, "rate_limited", "too many attempts, retry later", retryAfter);
    }
  }
}
