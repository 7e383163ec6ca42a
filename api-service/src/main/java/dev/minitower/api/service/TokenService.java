package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.TokenStore;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.model.wire.WireTime;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Team API tokens: mint, list (never the secret), revoke. A member asking for an admin token gets
 * 403 instead of the original's silent downgrade (gap 6).
 */
@ApplicationScoped
public class TokenService {
  static final int MAX_NAME = 200;

  private final TokenStore tokens;
  private final Clock clock;

  public TokenService(TokenStore tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  @Transactional
  public Views.TokenCreated create(Caller caller, Requests.CreateToken req) {
    String role = req.role();
    if (role != null && !role.equals(Caller.ADMIN) && !role.equals(Caller.MEMBER)) {
      throw ApiException.badRequest("role must be admin or member");
    }
    if (Caller.ADMIN.equals(role) && !caller.isAdmin()) {
      throw ApiException.forbidden("admin role required to mint an admin token");
    }
    String resulting = role == null ? Caller.MEMBER : role;
    if (req.name() != null && req.name().codePointCount(0, req.name().length()) > MAX_NAME) {
      throw ApiException.badRequest("name must be at most " + MAX_NAME + " characters");
    }
    OffsetDateTime expiresAt = Expiry.resolve(req.expiresInSeconds(), req.expiresAt(), clock);
    String token = Secrets.newToken(Secrets.TEAM_PREFIX);
    TokenStore.TokenRow row =
        tokens.insert(caller.teamId(), Secrets.sha256Hex(token), req.name(), resulting, expiresAt);
    return new Views.TokenCreated(row.id(), token, row.name(), row.role(), format(expiresAt));
  }

  /** Admins see every token of the team; members see only their own. */
  public Views.TokenList list(Caller caller) {
    List<TokenStore.TokenRow> rows =
        caller.isAdmin()
            ? tokens.list(caller.teamId())
            : tokens.find(caller.teamId(), caller.tokenId()).stream().toList();
    return new Views.TokenList(
        rows.stream()
            .map(
                r ->
                    new Views.TokenInfo(
                        r.id(),
                        r.name(),
                        r.role(),
                        format(r.createdAt()),
                        format(r.lastUsedAt()),
                        format(r.expiresAt()),
                        format(r.revokedAt())))
            .toList());
  }

  /** Admins may revoke any token of the team, members only the one they call with. */
  @Transactional
  public void revoke(Caller caller, long tokenId) {
    if (tokens.find(caller.teamId(), tokenId).isEmpty()) {
      throw ApiException.notFound("token not found");
    }
    if (!caller.isAdmin() && tokenId != caller.tokenId()) {
      throw ApiException.forbidden("admin role required");
    }
    tokens.revoke(
        caller.teamId(), tokenId, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
  }

  static String format(OffsetDateTime t) {
    return t == null ? null : WireTime.format(t.toInstant());
  }
}
