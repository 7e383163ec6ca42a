package dev.minitower.platform.http;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Counts the bytes of a chunked request body as the REST layer reads it and stops at the request's
 * cap ({@link RequestGuards} stored it in the routing context): the read ends there with 413 {@code
 * payload_too_large} in the JSON envelope, and the connection is closed after the answer, so the
 * rest of the body is never read. (The HTTP server's own limit would answer a bare 413 and only at
 * its larger, absolute limit.)
 */
@Provider
public class BodyCapInterceptor implements ReaderInterceptor {

  @Inject CurrentVertxRequest current;

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    RoutingContext rc = current.getCurrent();
    Object cap = rc == null ? null : rc.get(RequestGuards.BODY_CAP_KEY);
    if (cap instanceof Long limit) {
      context.setInputStream(new CappedInputStream(context.getInputStream(), limit, rc));
    }
    return context.proceed();
  }
}
