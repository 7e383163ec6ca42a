package dev.minitower.api.auth;

import dev.minitower.api.store.TokenStore;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.platform.security.Secrets;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves a team token ({@code mtk_…}, from {@link TeamTokenMechanism}'s bearer header) to the
 * calling team token. Unknown, revoked and expired tokens all answer the original's 401. Tokens in
 * query strings are never read.
 *
 * <p>Live tokens are cached by digest, so a request costs no database round trip for its caller (a
 * run creation used to spend one of its transactions on it). A trigger (V5) {@code NOTIFY}s the
 * token id at commit whenever a token is revoked, changes role or expiry, or is deleted (also with
 * its team); every replica drops the entry at once, and everything after a lost listener
 * connection. A cached token's own expiry is checked on every use; a generation counter keeps a
 * lookup that raced with a change from caching what it read; entries live at most {@link #TTL}.
 * {@code last_used_at} is still written at most once a minute per token.
 */
@ApplicationScoped
public class TeamAuthenticator {
  /** The channel of the {@code team_tokens_auth_changed} trigger (payload: token id). */
  public static final String CHANNEL = "minitower_team_token_changed";

  static final Duration TTL = Duration.ofSeconds(30);
  static final int MAX_ENTRIES = 10_000;

  private record Entry(TokenStore.ActiveToken token, long cachedUntil) {}

  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final TokenStore tokens;
  private final Clock clock;
  private final PgNotifications notifications;

  public TeamAuthenticator(TokenStore tokens, Clock clock, PgNotifications notifications) {
    this.tokens = tokens;
    this.clock = clock;
    this.notifications = notifications;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(CHANNEL, this::invalidate);
  }

  /** The caller behind a bare team token ({@code mtk_…}), or 401. */
  public Caller authenticateToken(String token) {
    if (token == null || !token.startsWith(Secrets.TEAM_PREFIX)) {
      throw ApiException.unauthorized();
    }
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    String hash = Secrets.sha256Hex(token);
    TokenStore.ActiveToken t = cached(hash, now);
    if (t == null) {
      long before = generation.get();
      t = tokens.findActive(hash, now).orElseThrow(ApiException::unauthorized);
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(hash, new Entry(t, System.nanoTime() + TTL.toNanos()));
      if (generation.get() != before) {
        cache.remove(hash);
      }
    }
    if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minusMinutes(1))) {
      tokens.touch(t.tokenId(), now);
      TokenStore.ActiveToken used =
          new TokenStore.ActiveToken(
              t.tokenId(), t.teamId(), t.teamSlug(), t.role(), now, t.expiresAt());
      cache.computeIfPresent(hash, (k, e) -> new Entry(used, e.cachedUntil()));
    }
    return new Caller(t.teamId(), t.teamSlug(), t.tokenId(), t.role());
  }

  /**
   * The caller of a cached, live token that needs no {@code last_used_at} write: no database work,
   * so the security layer can answer on the calling (I/O) thread. Empty means "ask {@link
   * #authenticateToken}" (not cached, expired, due a touch, or malformed), never "refused".
   */
  public Optional<Caller> cachedCaller(String token) {
    if (token == null || !token.startsWith(Secrets.TEAM_PREFIX)) {
      return Optional.empty();
    }
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    TokenStore.ActiveToken t = cached(Secrets.sha256Hex(token), now);
    if (t == null || t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minusMinutes(1))) {
      return Optional.empty();
    }
    return Optional.of(new Caller(t.teamId(), t.teamSlug(), t.tokenId(), t.role()));
  }

  private TokenStore.ActiveToken cached(String hash, OffsetDateTime now) {
    Entry e = cache.get(hash);
    if (e == null) {
      return null;
    }
    if (System.nanoTime() - e.cachedUntil() >= 0
        || (e.token().expiresAt() != null && !e.token().expiresAt().isAfter(now))) {
      cache.remove(hash, e);
      return null;
    }
    return e.token();
  }

  /** A token changed ({@code null}: maybe any token, after a listener reconnect). */
  public void invalidate(String tokenId) {
    generation.incrementAndGet();
    if (tokenId == null) {
      cache.clear();
      return;
    }
    try {
      long id = Long.parseLong(tokenId);
      cache.values().removeIf(e -> e.token().tokenId() == id);
    } catch (NumberFormatException e) {
      cache.clear();
    }
  }
}
