package dev.minitower.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.minitower.model.error.Refusal;
import dev.minitower.platform.pg.DatabaseAvailability;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure that reaches the REST layer to the JSON error envelope. There is deliberately
 * no mapper for an unmatched path: Quarkus REST then hands the request on to the other routes (the
 * web UI), and {@link dev.minitower.platform.http.NotFoundFallback} answers the JSON 404 last.
 *
 * <p>A failure because the database cannot be reached (stopped, restarting, failing over) is not a
 * bug of the request: it answers 503 {@code unavailable} with Retry-After, and the outage is logged
 * once by {@link DatabaseAvailability}, not as an ERROR per request.
 */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  private final DatabaseAvailability database;

  ErrorMappers(DatabaseAvailability database) {
    this.database = database;
  }

  public static Response envelope(int status, String code, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ErrorBody.of(code, message))
        .build();
  }

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Response.ResponseBuilder builder =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(ErrorBody.of(e.code(), e.getMessage()));
    if (e.status() == 429 && e.details() instanceof Number retryAfter) {
      builder.header("Retry-After", retryAfter.longValue());
    }
    if (e.status() == 413) {
      // The rest of the body is not read: the connection cannot carry another request.
      builder.header("Connection", "close");
    }
    return builder.build();
  }

  /**
   * A store's refusal answers exactly as the {@link ApiException} of the same meaning did (status,
   * code and message), so moving the stores off HTTP types changed no byte on the wire.
   */
  @ServerExceptionMapper
  public Response refusal(Refusal e) {
    return envelope(status(e.reason()), code(e.reason()), e.getMessage());
  }

  /** The HTTP status of a refusal. */
  public static int status(Refusal.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case GONE -> 410;
      case UNAUTHORIZED -> 401;
    };
  }

  /** The error code of a refusal, as {@link ApiException}'s factories of the same status. */
  public static String code(Refusal.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> "not_found";
      case CONFLICT -> "conflict";
      case GONE -> "gone";
      case UNAUTHORIZED -> "unauthorized";
    };
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    return envelope(400, "invalid_request", "invalid JSON body: " + describe(e));
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    return envelope(405, "method_not_allowed", "method not allowed");
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 404) {
      return envelope(404, "not_found", messageOr(e, "not found"));
    }
    if (status == 413) {
      return envelope(413, "payload_too_large", "request body too large");
    }
    if (status == 415) {
      return envelope(415, "unsupported_media_type", "unsupported content type");
    }
    if (status >= 500 && DatabaseAvailability.isUnavailable(e)) {
      return unavailable(e);
    }
    if (status >= 500) {
      LOG.errorf(e, "request failed");
      return envelope(status, "internal", "internal error");
    }
    return envelope(status, "invalid_request", messageOr(e, "bad request"));
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    if (DatabaseAvailability.isUnavailable(e)) {
      return unavailable(e);
    }
    LOG.error("unhandled error", e);
    return envelope(500, "internal", "internal error");
  }

  private Response unavailable(Exception e) {
    database.report(e);
    return Response.status(503)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header("Retry-After", DatabaseAvailability.RETRY_AFTER_SECONDS)
        .entity(ErrorBody.of("unavailable", "database unavailable, retry later"))
        .build();
  }

  private static String messageOr(Exception e, String fallback) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? fallback : m;
  }

  /** A short, user-facing description of a JSON problem (no Java class names, no stack). */
  static String describe(JsonProcessingException e) {
    if (e instanceof InvalidFormatException ife && !ife.getPath().isEmpty()) {
      return "field '" + ife.getPath().get(0).getFieldName() + "' has the wrong type";
    }
    if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
      return "field '" + mie.getPath().get(0).getFieldName() + "' has the wrong type";
    }
    String original = e.getOriginalMessage();
    if (original == null) {
      return "malformed JSON";
    }
    int cut = original.indexOf('\n');
    String first = cut > 0 ? original.substring(0, cut) : original;
    return first.length() > 200 ? first.substring(0, 200) : first;
  }
}
