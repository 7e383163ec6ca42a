package dev.minitower.runners.auth;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Runner tokens as a Quarkus Security mechanism: the {@code Authorization} header goes to {@link
 * RunnerIdentityProvider} as a token request; a request without one is anonymous, which {@code
 * RolesAllowed} refuses. Authentication is lazy ({@code quarkus.http.auth.proactive=false}): only
 * endpoints that require a runner run it, so registration (its own token) and unknown paths never
 * do, and refusals are answered by {@link RunnerAuthErrors} with the JSON envelope.
 */
@ApplicationScoped
public class RunnerAuthMechanism implements HttpAuthenticationMechanism {
  private static final String SCHEME = "runner";

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader("Authorization");
    if (header == null) {
      return Uni.createFrom().nullItem();
    }
    TokenAuthenticationRequest request =
        new TokenAuthenticationRequest(new TokenCredential(header, SCHEME));
    HttpSecurityUtils.setRoutingContextAttribute(request, context);
    return identityProviderManager.authenticate(request);
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
