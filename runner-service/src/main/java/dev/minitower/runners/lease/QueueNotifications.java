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
 * <p>A notification wakes <em>one</em> waiting platform runner of its environment (the longest
 * waiting), not all of them: with many idle runners, waking all made every one of them run a claim
 * for a single run (a write transaction each, all but one fruitless). A woken platform runner that
 * leased something hands the wake-up on ({@link #wakeOne}) to the next one, since one notification
 * may stand for several runs (PostgreSQL folds equal notifications of one transaction); one that
 * finds nothing proves the queue empty and ends the chain. Each hop either takes a run or ends a
 * poll, so the chain ends. Runners scoped to one team see only their team's runs, and the
 * notification does not say whose run it is: they are all woken, as before.
 */
@ApplicationScoped
public class QueueNotifications {
  private final Map<String, Queue<CompletableFuture<Boolean>>> platform = new ConcurrentHashMap<>();
  private final Map<String, Queue<CompletableFuture<Boolean>>> scoped = new ConcurrentHashMap<>();
  private final PgNotifications notifications;

  QueueNotifications(PgNotifications notifications) {
    this.notifications = notifications;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(RunChannels.queued(), this::wake);
  }

  void stop(@Observes ShutdownEvent event) {
    wakeAll(platform);
    wakeAll(scoped);
  }

  /**
   * Completes when a run of {@code environment} is queued (or on shutdown); {@code teamScoped} =
   * the waiter is a team's runner.
   */
  public CompletableFuture<Boolean> nextQueued(String environment, boolean teamScoped) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    Queue<CompletableFuture<Boolean>> queue =
        (teamScoped ? scoped : platform)
            .computeIfAbsent(environment, k -> new ConcurrentLinkedQueue<>());
    queue.add(f);
    f.whenComplete((v, e) -> queue.remove(f));
    return f;
  }

  /**
   * Wakes the longest-waiting platform runner of {@code environment}, if any, with a wake-up handed
   * on (its future completes with {@code false}: it should look before it claims).
   */
  public void wakeOne(String environment) {
    wakeOne(environment, false);
  }

  /** {@code notified}: the wake-up is a fresh notification (a run was just queued). */
  private void wakeOne(String environment, boolean notified) {
    Queue<CompletableFuture<Boolean>> queue = platform.get(environment);
    if (queue == null) {
      return;
    }
    for (CompletableFuture<Boolean> f; (f = queue.poll()) != null; ) {
      if (f.complete(notified)) {
        return;
      }
    }
  }

  /** How many leasers of {@code environment} wait now (for tests and diagnostics). */
  public int waiting(String environment) {
    return size(platform.get(environment)) + size(scoped.get(environment));
  }

  private static int size(Queue<CompletableFuture<Boolean>> queue) {
    return queue == null ? 0 : queue.size();
  }

  private static void wakeAll(Map<String, Queue<CompletableFuture<Boolean>>> waiters) {
    waiters.values().forEach(queue -> List.copyOf(queue).forEach(f -> f.complete(false)));
  }

  /** {@code null} = the listener reconnected and may have missed notifications: wake everyone. */
  private void wake(String environment) {
    if (environment == null) {
      wakeAll(platform);
      wakeAll(scoped);
      return;
    }
    Queue<CompletableFuture<Boolean>> teams = scoped.get(environment);
    if (teams != null) {
      List.copyOf(teams).forEach(f -> f.complete(true));
    }
    wakeOne(environment, true);
  }
}
