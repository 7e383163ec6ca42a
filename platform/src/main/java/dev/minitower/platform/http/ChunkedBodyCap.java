package dev.minitower.platform.http;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The cap of a chunked request body ({@link RequestGuards} stored it in the routing context): the
 * entity stream is wrapped before anything reads it (message body readers, {@code byte[]} bodies,
 * multipart forms), so the read ends at the cap with 413 {@code payload_too_large} in the JSON
 * envelope, and the connection is closed after the answer. Requests with a {@code Content-Length}
 * were checked before routing and are left alone.
 *
 * <p>A request filter rather than a {@code ReaderInterceptor}: with any reader interceptor
 * installed, RESTEasy Reactive hands every body read the resource parameter's annotations, which it
 * re-parses from the class file on each request (5 % of api-service's CPU per run created, 2 % of
 * runner-service's, in docs/performance.md's sixth round).
 */
public class ChunkedBodyCap {

  @ServerRequestFilter
  public void cap(ContainerRequestContext request, RoutingContext rc) {
    if (rc.get(RequestGuards.BODY_CAP_KEY) instanceof Long limit) {
      request.setEntityStream(new CappedInputStream(request.getEntityStream(), limit, rc));
    }
  }
}
