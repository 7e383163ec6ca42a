package dev.minitower.api.live;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.api.store.TokenStore;
import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Fans run changes out to the live streams open on this replica. Changes arrive through PostgreSQL
 * {@code LISTEN}: every run event {@code NOTIFY}s its run id (channel {@link
 * OutboxWriter#RUN_CHANGED_CHANNEL}) and every log append does too ({@link RunChannels#logs()}), at
 * commit, to every api-service replica — so a browser connected to any replica sees a change within
 * milliseconds, and neither the relay nor the broker has to be up for it. A periodic refresh covers
 * notifications missed while the listener reconnected.
 *
 * <p>A stream was authorised once, when it opened; every {@code
 * minitower.live-token-check-interval} (2 s) the hub asks the database which of the open streams'
 * tokens are still live, and ends the streams of revoked or expired tokens.
 */
@ApplicationScoped
public class LiveRunHub {
  private static final Logger LOG = Logger.getLogger(LiveRunHub.class);

  private final Map<Long, Set<RunStream>> streams = new ConcurrentHashMap<>();
  private final PgNotifications notifications;
  private final ManagedExecutor executor;
  private final TokenStore tokens;
  private final Clock clock;
  private final long tokenCheckMillis;
  private ScheduledExecutorService ticker;

  LiveRunHub(
      PgNotifications notifications,
      ManagedExecutor executor,
      TokenStore tokens,
      Clock clock,
      ApiConfig config) {
    this.notifications = notifications;
    this.executor = executor;
    this.tokens = tokens;
    this.clock = clock;
    this.tokenCheckMillis = config.liveTokenCheckInterval().toMillis();
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(OutboxWriter.RUN_CHANGED_CHANNEL, this::onNotification);
    notifications.listen(RunChannels.logs(), this::onNotification);
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "live-run-keepalive");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(this::keepAlive, 15, 15, TimeUnit.SECONDS);
    ticker.scheduleWithFixedDelay(
        this::endRevokedStreams, tokenCheckMillis, tokenCheckMillis, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    streams.values().forEach(set -> set.forEach(RunStream::close));
  }

  /**
   * Registers the stream and sends its first events <em>on the calling thread</em> (the request's
   * worker), before any other thread may send: that first send writes the SSE response head.
   * Scheduled on the executor instead, it raced RESTEasy writing the head once the resource method
   * had returned ("Response head already sent"), and the stream ended without its events. Changes
   * notified meanwhile are not lost: the stream counts as refresh-pending until its first refresh
   * starts reading, and a notification after that schedules the next one (which waits for this).
   */
  void add(RunStream stream) {
    stream.holdSchedules();
    streams.computeIfAbsent(stream.runId(), k -> ConcurrentHashMap.newKeySet()).add(stream);
    stream.refresh();
  }

  void remove(RunStream stream) {
    Set<RunStream> set = streams.get(stream.runId());
    if (set != null) {
      set.remove(stream);
      if (set.isEmpty()) {
        streams.remove(stream.runId(), set);
      }
    }
  }

  /** Number of open streams on this replica (for tests and a gauge). */
  public int openStreams() {
    return streams.values().stream().mapToInt(Set::size).sum();
  }

  private void onNotification(String payload) {
    if (payload == null) {
      streams.values().forEach(set -> set.forEach(s -> s.schedule(executor)));
      return;
    }
    try {
      Set<RunStream> set = streams.get(Long.parseLong(payload));
      if (set != null) {
        set.forEach(s -> s.schedule(executor));
      }
    } catch (NumberFormatException ignored) {
      // not ours
    }
  }

  /** Ends every stream whose token is no longer live. Unknown (database down): keep them. */
  void endRevokedStreams() {
    Set<Long> tokenIds =
        streams.values().stream()
            .flatMap(Set::stream)
            .map(RunStream::tokenId)
            .collect(Collectors.toSet());
    if (tokenIds.isEmpty()) {
      return;
    }
    Set<Long> live;
    try {
      live =
          tokens.stillActive(
              tokenIds, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
    } catch (RuntimeException e) {
      LOG.debugf("live stream token check skipped: %s", e.getMessage());
      return;
    }
    streams.values().stream()
        .flatMap(Set::stream)
        .filter(s -> !live.contains(s.tokenId()))
        .toList()
        .forEach(RunStream::revoked);
  }

  private void keepAlive() {
    streams
        .values()
        .forEach(
            set ->
                set.forEach(
                    s -> {
                      s.ping();
                      s.schedule(executor);
                    }));
  }
}
