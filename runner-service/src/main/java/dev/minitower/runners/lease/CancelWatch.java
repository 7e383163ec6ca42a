package dev.minitower.runners.lease;

import dev.minitower.platform.pg.PgNotifications;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.store.runs.AttemptTransitions;
import dev.minitower.store.runs.RunChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * The cancel push: a cancel request {@code NOTIFY}s the id of the runner holding the run at commit
 * ({@link RunChannels#cancel()}); a runner's waiting {@code /runners/cancels} call wakes and
 * answers the runs to stop. Every replica receives every notification; a periodic re-check covers a
 * lost one (a listener reconnect wakes everybody).
 */
@ApplicationScoped
public class CancelWatch {
  private final Map<Long, Set<CompletableFuture<Boolean>>> waiters = new ConcurrentHashMap<>();
  private final PgNotifications notifications;
  private final AttemptTransitions transitions;
  private final RunnerServiceConfig config;
  private final ManagedExecutor executor;

  CancelWatch(
      PgNotifications notifications,
      AttemptTransitions transitions,
      RunnerServiceConfig config,
      ManagedExecutor executor) {
    this.notifications = notifications;
    this.transitions = transitions;
    this.config = config;
    this.executor = executor;
  }

  void start(@Observes StartupEvent event) {
    notifications.listen(RunChannels.cancel(), this::wake);
  }

  void stop(@Observes ShutdownEvent event) {
    waiters.values().forEach(set -> set.forEach(f -> f.complete(false)));
  }

  /**
   * The runner's runs being cancelled, except {@code ignore}: at once when there are some, else
   * when a cancel for this runner commits, else empty after {@code wait} (capped like a lease).
   */
  public CompletionStage<List<Long>> next(
      long runnerId, Set<Long> ignore, Duration wait, BooleanSupplier clientGone) {
    Duration capped = wait.compareTo(config.leaseMaxWait()) > 0 ? config.leaseMaxWait() : wait;
    return new LongPoll<List<Long>>(
            () -> register(runnerId),
            notified ->
                transitions.cancellingRuns(runnerId).stream()
                    .filter(id -> !ignore.contains(id))
                    .toList(),
            found -> !found.isEmpty(),
            List.of(),
            clientGone,
            config.leaseRecheckInterval(),
            executor,
            () -> {})
        .run(capped);
  }

  private CompletableFuture<Boolean> register(long runnerId) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    Set<CompletableFuture<Boolean>> set =
        waiters.computeIfAbsent(runnerId, k -> ConcurrentHashMap.newKeySet());
    set.add(f);
    f.whenComplete((v, e) -> set.remove(f));
    return f;
  }

  /** {@code null} = the listener reconnected and may have missed notifications: wake everyone. */
  private void wake(String runnerId) {
    if (runnerId == null) {
      waiters.values().forEach(set -> set.forEach(f -> f.complete(false)));
      return;
    }
    try {
      Set<CompletableFuture<Boolean>> set = waiters.get(Long.parseLong(runnerId));
      if (set != null) {
        set.forEach(f -> f.complete(true));
      }
    } catch (NumberFormatException e) {
      // not ours
    }
  }
}
