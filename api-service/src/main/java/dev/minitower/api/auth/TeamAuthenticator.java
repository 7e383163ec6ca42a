package dev.minitower.api.auth;

import dev.minitower.api.store.TokenStore;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Resolves {@code Authorization: Bearer mtk_…} to the calling team token. Unknown, revoked and
 * expired tokens all answer the original's 401. Tokens in query strings are never read.
 */
@ApplicationScoped
public class TeamAuthenticator {
  private final TokenStore tokens;
  private final Clock clock;

  public TeamAuthenticator(TokenStore tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  public Caller authenticate(String authorizationHeader) {
    String token = Secrets.bearer(authorizationHeader);
    if (token == null || !token.startsWith(Secrets.TEAM_PREFIX)) {
      throw ApiException.unauthorized();
    }
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    TokenStore.ActiveToken t =
        tokens.findActive(Secrets.sha256Hex(token), now).orElseThrow(ApiException::unauthorized);
    if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minusMinutes(1))) {
      tokens.touch(t.tokenId(), now);
    }
    return new Caller(t.teamId(), t.teamSlug(), t.tokenId(), t.role());
  }
}
