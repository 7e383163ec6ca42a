package dev.minitower.runners.auth;

import dev.minitower.platform.error.ApiException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a runner token into a {@link SecurityIdentity} with the role {@link #ROLE} and the {@link
 * RunnerPrincipal} as principal, through {@link RunnerAuthenticator} and its NOTIFY-invalidated
 * cache. A cached runner is answered on the calling thread (no database round trip, no thread hop);
 * only a cache miss runs the lookup as blocking work. An unknown or offline token fails with {@link
 * AuthenticationFailedException} (401); a database outage propagates (503).
 */
@ApplicationScoped
public class RunnerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  /** The role every authenticated runner has; runner endpoints are {@code RolesAllowed} it. */
  public static final String ROLE = "runner";

  private final RunnerAuthenticator authenticator;

  RunnerIdentityProvider(RunnerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String header = request.getToken().getToken();
    RunnerPrincipal cached = authenticator.cached(header);
    if (cached != null) {
      return Uni.createFrom().item(identity(cached));
    }
    return context.runBlocking(() -> identity(lookup(header)));
  }

  private RunnerPrincipal lookup(String header) {
    try {
      return authenticator.authenticate(header);
    } catch (ApiException e) {
      throw new AuthenticationFailedException(e.getMessage());
    }
  }

  private static SecurityIdentity identity(RunnerPrincipal runner) {
    return QuarkusSecurityIdentity.builder().setPrincipal(runner).addRole(ROLE).build();
  }

  /** The runner of an identity a {@code RolesAllowed(ROLE)} endpoint was let in with. */
  public static RunnerPrincipal runner(SecurityIdentity identity) {
    return (RunnerPrincipal) identity.getPrincipal();
  }
}
