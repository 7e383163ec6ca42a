package dev.minitower.api.auth;

import dev.minitower.platform.error.ApiException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Turns a team API token into a {@link SecurityIdentity}: principal = team slug, one role ({@code
 * admin} or {@code member}, the token's), and the whole {@link Caller} as the attribute {@link
 * #CALLER} for the services. The lookup is {@link TeamAuthenticator}'s (token cache, expiry,
 * revocation, {@code last_used_at}); it may touch the database, so it runs on a worker thread.
 */
@ApplicationScoped
public class TeamTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  /** The identity attribute holding the {@link Caller}. */
  public static final String CALLER = "minitower.caller";

  private final TeamAuthenticator auth;

  public TeamTokenIdentityProvider(TeamAuthenticator auth) {
    this.auth = auth;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String token = request.getToken().getToken();
    // A cached token is answered here, without a hop to a worker thread (the hot path).
    Optional<Caller> cached = auth.cachedCaller(token);
    if (cached.isPresent()) {
      return Uni.createFrom().item(identity(cached.get()));
    }
    return context.runBlocking(
        () -> {
          try {
            return identity(auth.authenticateToken(token));
          } catch (ApiException e) {
            if (e.status() == 401) {
              throw new AuthenticationFailedException(e.getMessage());
            }
            throw e;
          }
        });
  }

  private static SecurityIdentity identity(Caller caller) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(caller.teamSlug()))
        .addRole(caller.role())
        .addAttribute(CALLER, caller)
        .build();
  }
}
