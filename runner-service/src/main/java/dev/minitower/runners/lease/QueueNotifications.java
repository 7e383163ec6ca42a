package dev.minitower.runners.lease;

import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.store.runs.RunChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes long-polling leasers: run creation and requeues {@code NOTIFY} their environment at commit
 * (see {@link RunChannels#queued()}), so a waiting runner is answered within milliseconds instead
 * of by polling the table. Every runner-service replica receives every notification.
 */
@ApplicationScoped
public class QueueNotifications {
  private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
  private final PgNotifications notifications;

  QueueNotifications(PgNotifications notifications) {
    this.notifications = notifications;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(RunChannels.queued(), this::wake);
  }

  void stop(@Observes ShutdownEvent event) {
    waiters.values().forEach(set -> set.forEach(f -> f.complete(null)));
  }

  /** Completes when a run of {@code environment} is queued (or on shutdown). */
  public CompletableFuture<Void> nextQueued(String environment) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Set<CompletableFuture<Void>> set =
        waiters.computeIfAbsent(environment, k -> ConcurrentHashMap.newKeySet());
    set.add(f);
    f.whenComplete((v, e) -> set.remove(f));
    return f;
  }

  /** {@code null} = the listener reconnected and may have missed notifications: wake everyone. */
  private void wake(String environment) {
    if (environment == null) {
      waiters.values().forEach(set -> set.forEach(f -> f.complete(null)));
      return;
    }
    Set<CompletableFuture<Void>> set = waiters.get(environment);
    if (set != null) {
      set.forEach(f -> f.complete(null));
    }
  }
}
