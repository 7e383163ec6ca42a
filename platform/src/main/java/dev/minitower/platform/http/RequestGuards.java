package dev.minitower.platform.http;

import dev.minitower.platform.error.ErrorBody;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Checks every service makes before any handler reads the request, each answered with the JSON
 * envelope:
 *
 * <ul>
 *   <li>a credential header sent twice is ambiguous (a proxy might pick the other one): 400;
 *   <li>a {@code Transfer-Encoding} other than exactly {@code chunked} (say {@code gzip, chunked}):
 *       501, and the connection is closed, since the body's framing is not understood;
 *   <li>a declared body larger than the request's {@link BodyCaps cap}: 413 at once, the body is
 *       never processed; a chunked body gets its cap stored for {@link ChunkedBodyCap}, which stops
 *       reading it there and closes the connection;
 *   <li>a CORS preflight ({@code OPTIONS} with {@code Origin}) that no service CORS handler
 *       answered before: 403, whether CORS is configured or not.
 * </ul>
 */
@ApplicationScoped
public class RequestGuards {
  /** Routing-context key of the body cap of a request without {@code Content-Length}. */
  static final String BODY_CAP_KEY = "minitower.body-cap";

  /** Before any route but Quarkus' own header and body-limit handlers. */
  public static final int GUARD_ORDER = Integer.MIN_VALUE + 1;

  /** Where services answer allowed CORS preflights: after the guards, before the refusal. */
  public static final int CORS_ORDER = Integer.MIN_VALUE + 2;

  private static final int PREFLIGHT_REFUSAL_ORDER = Integer.MIN_VALUE + 3;

  /** Right after Quarkus' body-limit handler (order -2), which would answer a bare 413. */
  private static final int AFTER_SERVER_LIMIT_ORDER = -1;

  private static final List<String> SINGLE_HEADERS = List.of("Authorization", "X-Lease-Token");

  private final BodyCaps caps;

  RequestGuards(BodyCaps caps) {
    this.caps = caps;
  }

  void install(@Observes Router router) {
    router.route().order(GUARD_ORDER).handler(this::check);
    router.route().order(PREFLIGHT_REFUSAL_ORDER).handler(RequestGuards::refusePreflight);
    router.route().order(AFTER_SERVER_LIMIT_ORDER).handler(RequestGuards::ownTheChunkedLimit);
    // The server's absolute limit can still fail a request (a multipart upload); keep the envelope.
    router.errorHandler(
        413,
        rc -> {
          closeAfterAnswer(rc);
          reject(rc, 413, "payload_too_large", "request body too large");
        });
  }

  private void check(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    for (String header : SINGLE_HEADERS) {
      if (request.headers().getAll(header).size() > 1) {
        reject(rc, 400, "invalid_request", header + " must be sent once");
        return;
      }
    }
    List<String> encodings = request.headers().getAll("Transfer-Encoding");
    if (!encodings.isEmpty()
        && (encodings.size() > 1 || !"chunked".equalsIgnoreCase(encodings.get(0).strip()))) {
      closeAfterAnswer(rc);
      reject(rc, 501, "not_implemented", "unsupported Transfer-Encoding (only chunked)");
      return;
    }
    long cap = caps.capFor(request);
    String length = request.getHeader("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        rc.response().putHeader("Connection", "close");
        reject(rc, 400, "invalid_request", "invalid Content-Length");
        return;
      }
      if (declared > cap) {
        // The body is discarded, never processed; the connection is not cut under a client that
        // sends its whole body before reading the answer.
        rc.response().putHeader("Connection", "close");
        reject(rc, 413, "payload_too_large", "request body too large");
        return;
      }
    } else if (!encodings.isEmpty()) {
      rc.put(BODY_CAP_KEY, cap);
    }
    rc.next();
  }

  /**
   * A chunked body is capped by {@link ChunkedBodyCap} (entities, raw bodies and forms alike) with
   * the envelope; the server's own check of the same stream would cut it first with a bare 413
   * whenever the caps are equal, so it stands down for these requests.
   */
  private static void ownTheChunkedLimit(RoutingContext rc) {
    if (rc.get(BODY_CAP_KEY) != null) {
      rc.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
    }
    rc.next();
  }

  private static void refusePreflight(RoutingContext rc) {
    if (rc.request().method() == HttpMethod.OPTIONS && rc.request().getHeader("Origin") != null) {
      reject(rc, 403, "forbidden", "origin not allowed");
      return;
    }
    rc.next();
  }

  /**
   * Closes the connection once the answer is written: the rest of a refused body (or a body whose
   * framing is not understood) is never read.
   */
  public static void closeAfterAnswer(RoutingContext rc) {
    if (!rc.response().headWritten()) {
      rc.response().putHeader("Connection", "close");
    }
    rc.response().endHandler(v -> rc.request().connection().close());
  }

  private static void reject(RoutingContext rc, int status, String code, String message) {
    if (rc.response().ended() || rc.response().headWritten()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(Json.encode(ErrorBody.of(code, message)) + "\n");
  }
}
