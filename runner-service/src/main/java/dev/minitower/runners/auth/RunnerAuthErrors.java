package dev.minitower.runners.auth;

import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.error.ErrorBody;
import dev.minitower.platform.pg.DatabaseAvailability;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus Security's refusals in the original's words: a missing, unknown or offline runner token
 * is 401 {@code unauthorized} "invalid or missing token" with the JSON envelope (never a bare
 * challenge or a {@code WWW-Authenticate} header), and a token lookup that failed because the
 * database is down is 503 {@code unavailable} with Retry-After, as before.
 */
public class RunnerAuthErrors {
  private final DatabaseAvailability database;

  RunnerAuthErrors(DatabaseAvailability database) {
    this.database = database;
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e) {
    if (DatabaseAvailability.isUnavailable(e)) {
      database.report(e);
      return Response.status(503)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .header("Retry-After", DatabaseAvailability.RETRY_AFTER_SECONDS)
          .entity(ErrorBody.of("unavailable", "database unavailable, retry later"))
          .build();
    }
    return unauthorized();
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return unauthorized();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return unauthorized();
  }

  private static Response unauthorized() {
    ApiException e = ApiException.unauthorized();
    return Response.status(e.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ErrorBody.of(e.code(), e.getMessage()))
        .build();
  }
}
