package dev.minitower.api.auth;

import dev.minitower.platform.security.Secrets;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Quarkus Security's view of a team API token: {@code Authorization: Bearer mtk_…} becomes a token
 * request for {@link TeamTokenIdentityProvider}. Anything else (no header, another scheme, a
 * bootstrap or runner token) is anonymous, so {@code @Authenticated} and {@code @RolesAllowed}
 * answer 401 through {@link SecurityErrorMappers}. Authentication is lazy ({@code
 * quarkus.http.auth.proactive=false}): endpoints without a security annotation (signup, login,
 * bootstrap, health) never look at the header.
 */
@ApplicationScoped
public class TeamTokenMechanism implements HttpAuthenticationMechanism {
  static final String SCHEME = "bearer";

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String token = Secrets.bearer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null || !token.startsWith(Secrets.TEAM_PREFIX)) {
      return Uni.createFrom().nullItem();
    }
    return identityProviderManager.authenticate(
        HttpSecurityUtils.setRoutingContextAttribute(
            new TokenAuthenticationRequest(new TokenCredential(token, SCHEME)), context));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, null, null));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }
}
