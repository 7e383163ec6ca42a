package dev.minitower.api.live;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.service.RunQueryService;
import dev.minitower.model.api.Views;
import dev.minitower.model.run.RunStatus;
import dev.minitower.platform.error.ErrorBody;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One browser's live view of a run: on every signal it re-reads the run (as the caller, so team
 * scoping applies) and sends a {@code status} event when the status changed and a {@code log} event
 * per new line, from its own (attempt, seq) cursor. Signals coalesce; one refresh runs at a time.
 * The stream ends after the run is terminal and its last lines were sent.
 */
final class RunStream {
  private static final Logger LOG = Logger.getLogger(RunStream.class);

  private final LiveRunHub hub;
  private final RunQueryService queries;
  private final Caller caller;
  private final long runId;
  private final SseEventSink sink;
  private final Sse sse;
  private final AtomicBoolean pending = new AtomicBoolean();
  private String lastStatus;
  private String afterAttempt;
  private String afterSeq;
  private volatile boolean closed;

  RunStream(
      LiveRunHub hub,
      RunQueryService queries,
      Caller caller,
      long runId,
      SseEventSink sink,
      Sse sse,
      String afterAttempt,
      String afterSeq) {
    this.hub = hub;
    this.queries = queries;
    this.caller = caller;
    this.runId = runId;
    this.sink = sink;
    this.sse = sse;
    this.afterAttempt = afterAttempt;
    this.afterSeq = afterSeq;
  }

  long runId() {
    return runId;
  }

  long tokenId() {
    return caller.tokenId();
  }

  /**
   * The token that opened the stream was revoked or expired: say so (an {@code error} event with
   * the usual envelope) and end the stream.
   */
  void revoked() {
    synchronized (this) {
      if (!closed && !sink.isClosed()) {
        try {
          send("error", ErrorBody.of("unauthorized", "invalid or missing token"));
        } catch (RuntimeException ignored) {
          // the client is gone already
        }
      }
      close();
    }
  }

  /** Until the next refresh starts, signals coalesce into it (no refresh is scheduled). */
  void holdSchedules() {
    pending.set(true);
  }

  void schedule(Executor executor) {
    if (!closed && pending.compareAndSet(false, true)) {
      executor.execute(this::refresh);
    }
  }

  void ping() {
    if (!closed && !sink.isClosed()) {
      sink.send(sse.newEventBuilder().comment("keepalive").build());
    }
  }

  synchronized void refresh() {
    pending.set(false);
    if (closed || sink.isClosed()) {
      close();
      return;
    }
    try {
      Views.RunView run = queries.get(caller, runId);
      if (!run.status().equals(lastStatus)) {
        lastStatus = run.status();
        send("status", run);
      }
      Views.LogPage page;
      do {
        page = queries.logs(caller, runId, afterSeq, afterAttempt);
        for (Views.LogView line : page.logs()) {
          send("log", line);
        }
        afterAttempt = Integer.toString(page.nextAfterAttempt());
        afterSeq = Long.toString(page.nextAfterSeq());
      } while (page.hasMore() && !closed);
      if (RunStatus.fromWire(run.status()).isTerminal()) {
        close();
      }
    } catch (RuntimeException e) {
      LOG.debugf("live stream of run %d ended: %s", runId, e.getMessage());
      close();
    }
  }

  private void send(String name, Object data) {
    sink.send(
        sse.newEventBuilder()
            .name(name)
            .mediaType(MediaType.APPLICATION_JSON_TYPE)
            .data(data.getClass(), data)
            .build());
  }

  void close() {
    if (!closed) {
      closed = true;
      hub.remove(this);
      try {
        sink.close();
      } catch (RuntimeException ignored) {
        // already closed by the client
      }
    }
  }
}
