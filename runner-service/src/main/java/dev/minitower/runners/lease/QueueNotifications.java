package dev.minitower.runners.lease;

import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.store.runs.RunChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Wakes long-polling leasers: run creation and requeues {@code NOTIFY} their environment at commit
 * (see {@link RunChannels#queued()}), so a waiting runner is answered within milliseconds instead
 * of by polling the table. Every runner-service replica receives every notification.
 *
 * <p>A notification wakes <em>one</em> waiter of its environment (the longest waiting), not all of
 * them: with many idle runners, waking all would make every one of them run a claim for a single
 * run (a write transaction each, all but one fruitless). The woken leaser hands the wake-up on
 * ({@link #wakeOne}) when its try does not prove the queue empty for everyone: it leased something
 * (one notification may stand for several runs, since PostgreSQL folds equal notifications of one
 * transaction), it is scoped to one team, it was refused, or its client went away before trying.
 * The chain ends at the first platform runner that finds nothing.
 */
@ApplicationScoped
public class QueueNotifications {
  private final Map<String, Queue<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
  private final PgNotifications notifications;

  QueueNotifications(PgNotifications notifications) {
    this.notifications = notifications;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(RunChannels.queued(), this::wake);
  }

  void stop(@Observes ShutdownEvent event) {
    wakeAll();
  }

  /** Completes when a run of {@code environment} is queued (or on shutdown). */
  public CompletableFuture<Void> nextQueued(String environment) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Queue<CompletableFuture<Void>> queue =
        waiters.computeIfAbsent(environment, k -> new ConcurrentLinkedQueue<>());
    queue.add(f);
    f.whenComplete((v, e) -> queue.remove(f));
    return f;
  }

  /** Wakes the longest-waiting leaser of {@code environment}, if any. */
  public void wakeOne(String environment) {
    Queue<CompletableFuture<Void>> queue = waiters.get(environment);
    if (queue == null) {
      return;
    }
    for (CompletableFuture<Void> f; (f = queue.poll()) != null; ) {
      if (f.complete(null)) {
        return;
      }
    }
  }

  /** How many leasers of {@code environment} wait now (for tests and diagnostics). */
  public int waiting(String environment) {
    Queue<CompletableFuture<Void>> queue = waiters.get(environment);
    return queue == null ? 0 : queue.size();
  }

  private void wakeAll() {
    waiters.values().forEach(queue -> List.copyOf(queue).forEach(f -> f.complete(null)));
  }

  /** {@code null} = the listener reconnected and may have missed notifications: wake everyone. */
  private void wake(String environment) {
    if (environment == null) {
      wakeAll();
    } else {
      wakeOne(environment);
    }
  }
}
