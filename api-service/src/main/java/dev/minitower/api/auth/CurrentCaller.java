package dev.minitower.api.auth;

import dev.minitower.platform.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * The authenticated team token of the current request, from the {@link SecurityIdentity} that
 * {@link TeamTokenIdentityProvider} built. Resources annotated {@code @Authenticated} or
 * {@code @RolesAllowed} never reach {@link #get()} without one.
 */
@RequestScoped
public class CurrentCaller {
  private final SecurityIdentity identity;

  public CurrentCaller(SecurityIdentity identity) {
    this.identity = identity;
  }

  public Caller get() {
    Caller caller = identity.getAttribute(TeamTokenIdentityProvider.CALLER);
    if (caller == null) {
      throw ApiException.unauthorized();
    }
    return caller;
  }
}
