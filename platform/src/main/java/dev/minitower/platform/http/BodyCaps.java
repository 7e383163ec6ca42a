package dev.minitower.platform.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * The largest body a request may send. {@link RequestGuards} refuses a declared {@code
 * Content-Length} over it before anything is read, and {@link ChunkedBodyCap} stops reading a
 * chunked body as soon as it passes it; both answer 413 {@code payload_too_large} with the JSON
 * envelope. A service with several caps (api-service: uploads) provides its own bean; {@link
 * DefaultBodyCaps} serves the others.
 */
public interface BodyCaps {

  /** The cap in bytes for {@code request}, decided from its method, path and headers only. */
  long capFor(HttpServerRequest request);

  /**
   * A request without credentials: the only such bodies a service accepts are sign-up and login,
   * which are small, so they get a small cap (an attacker needs no account to send them).
   */
  static boolean anonymous(HttpServerRequest request) {
    return request.getHeader("Authorization") == null;
  }
}
