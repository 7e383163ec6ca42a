package dev.minitower.runners.rest;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What a long-polling call asks for: its wait ({@code ?wait=20s} or {@code X-Lease-Wait}, as the
 * lease) and whether its client went away meanwhile (a poll nobody receives must not lease a run).
 */
record LongPollRequest(Duration maxWait, BooleanSupplier clientGone) {

  static LongPollRequest of(String waitParam, String waitHeader, RoutingContext rc) {
    Duration wait = LeaseResource.parseWait(waitParam != null ? waitParam : waitHeader);
    AtomicBoolean gone = new AtomicBoolean();
    rc.addEndHandler(ended -> gone.set(true));
    // The end handlers fire once, when the connection closes: a client that went away before this
    // (resource) method ran, e.g. while the request waited for authentication or a worker thread
    // on a loaded machine, never calls the handler added here. The response knows it either way.
    HttpServerResponse response = rc.response();
    return new LongPollRequest(wait, () -> gone.get() || response.closed());
  }
}
