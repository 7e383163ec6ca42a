package dev.minitower.runners.auth;

import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.platform.security.Secrets;
import dev.minitower.store.runners.RunnerQueries;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runner tokens ({@code mtr_…}): looked up by SHA-256, valid only while the runner is online (an
 * offline runner must re-register, as in the original). Every failure is the same 401.
 *
 * <p>Valid tokens are cached, so a runner call costs no database round trip for its identity. Every
 * change that can end or alter a runner's authentication (new token, offline, deleted, moved) makes
 * a trigger (V5) {@code NOTIFY} the runner id at commit; each replica drops that runner's entry at
 * once, and everything after a lost listener connection. A generation counter keeps a lookup that
 * raced with such a change from caching what it read. Entries also expire after {@link #TTL}, a
 * backstop only. Unknown tokens are never cached (each costs a lookup, as before).
 */
@ApplicationScoped
public class RunnerAuthenticator {
  /** The channel of the {@code runners_auth_changed} trigger (payload: runner id). */
  public static final String CHANNEL = "minitower_runner_auth";

  static final Duration TTL = Duration.ofSeconds(30);
  static final int MAX_ENTRIES = 10_000;

  private record Entry(RunnerPrincipal runner, long expiresAt) {}

  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final RunnerQueries runners;
  private final PgNotifications notifications;

  RunnerAuthenticator(RunnerQueries runners, PgNotifications notifications) {
    this.runners = runners;
    this.notifications = notifications;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(CHANNEL, this::invalidate);
  }

  /**
   * The runner of a valid cached token, or null (not cached, expired, or not a runner token at
   * all): no I/O, so {@link RunnerIdentityProvider} answers a cached runner on the calling thread.
   */
  public RunnerPrincipal cached(String authorizationHeader) {
    String token = Secrets.bearer(authorizationHeader);
    if (token == null || !token.startsWith("mtr_")) {
      return null;
    }
    Entry cached = cache.get(Secrets.sha256Hex(token));
    return cached != null && System.nanoTime() - cached.expiresAt() < 0 ? cached.runner() : null;
  }

  public RunnerPrincipal authenticate(String authorizationHeader) {
    String token = Secrets.bearer(authorizationHeader);
    if (token == null || !token.startsWith("mtr_")) {
      throw ApiException.unauthorized();
    }
    String hash = Secrets.sha256Hex(token);
    Entry cached = cache.get(hash);
    if (cached != null && System.nanoTime() - cached.expiresAt() < 0) {
      return cached.runner();
    }
    long before = generation.get();
    RunnerPrincipal runner = lookup(hash);
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(hash, new Entry(runner, System.nanoTime() + TTL.toNanos()));
    if (generation.get() != before) {
      // A change committed while we read: what we read may be stale.
      cache.remove(hash);
    }
    return runner;
  }

  private RunnerPrincipal lookup(String hash) {
    return runners
        .findOnlineByTokenHash(hash, RunnerPrincipal::new)
        .orElseThrow(ApiException::unauthorized);
  }

  /** A runner's authentication changed ({@code null}: maybe any runner's, after a reconnect). */
  public void invalidate(String runnerId) {
    generation.incrementAndGet();
    if (runnerId == null) {
      cache.clear();
      return;
    }
    long id;
    try {
      id = Long.parseLong(runnerId);
    } catch (NumberFormatException e) {
      cache.clear();
      return;
    }
    cache.values().removeIf(entry -> entry.runner().id() == id);
  }
}
