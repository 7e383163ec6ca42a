package dev.minitower.api.live;

import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runs.RunTransitions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Fans run changes out to the live streams open on this replica. Changes arrive through PostgreSQL
 * {@code LISTEN}: every run event {@code NOTIFY}s its run id (channel {@link
 * OutboxWriter#RUN_CHANGED_CHANNEL}) and every log append does too ({@link
 * RunTransitions#logsChannel()}), at commit, to every api-service replica — so a browser connected
 * to any replica sees a change within milliseconds, and neither the relay nor the broker has to be
 * up for it. A periodic refresh covers notifications missed while the listener reconnected.
 */
@ApplicationScoped
public class LiveRunHub {
  private final Map<Long, Set<RunStream>> streams = new ConcurrentHashMap<>();
  private final PgNotifications notifications;
  private final ManagedExecutor executor;
  private ScheduledExecutorService ticker;

  LiveRunHub(PgNotifications notifications, ManagedExecutor executor) {
    this.notifications = notifications;
    this.executor = executor;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(OutboxWriter.RUN_CHANGED_CHANNEL, this::onNotification);
    notifications.listen(RunTransitions.logsChannel(), this::onNotification);
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "live-run-keepalive");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(this::keepAlive, 15, 15, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    streams.values().forEach(set -> set.forEach(RunStream::close));
  }

  void add(RunStream stream) {
    streams.computeIfAbsent(stream.runId(), k -> ConcurrentHashMap.newKeySet()).add(stream);
    stream.schedule(executor);
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
