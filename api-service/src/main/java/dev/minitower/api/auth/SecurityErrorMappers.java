package dev.minitower.api.auth;

import dev.minitower.platform.error.ErrorMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus Security's refusals in the original's envelope: every missing, unknown, revoked or
 * expired team token is 401 {@code unauthorized} / {@code invalid or missing token}; a member token
 * on an {@code @RolesAllowed("admin")} endpoint is 403 {@code forbidden} / {@code admin role
 * required}.
 */
public class SecurityErrorMappers {
  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return ErrorMappers.envelope(401, "unauthorized", "invalid or missing token");
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e) {
    return ErrorMappers.envelope(401, "unauthorized", "invalid or missing token");
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return ErrorMappers.envelope(403, "forbidden", "admin role required");
  }
}
