package dev.minitower.runners.lease;

import dev.minitower.store.runs.RunTransitions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes long-polling leasers: one dedicated connection {@code LISTEN}s on the channel that run
 * creation and requeues {@code NOTIFY} (payload = environment name) at commit, so a waiting runner
 * is answered within milliseconds instead of by polling the table. Works across replicas: every
 * runner-service instance receives every notification.
 */
@ApplicationScoped
public class QueueNotifications {
  private static final Logger LOG = Logger.getLogger(QueueNotifications.class);

  private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
  private final String url;
  private final String user;
  private final String password;
  private volatile boolean running;
  private Thread listener;

  QueueNotifications(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  void start(@Observes StartupEvent event) {
    running = true;
    listener = new Thread(this::listen, "lease-notifications");
    listener.setDaemon(true);
    listener.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (listener != null) {
      listener.interrupt();
    }
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

  private void listen() {
    long backoffMs = 200;
    while (running) {
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + RunTransitions.queuedChannel());
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        backoffMs = 200;
        // Anything queued while we were not listening: wake everyone once.
        wakeAll();
        while (running) {
          PGNotification[] notes = pg.getNotifications(1000);
          if (notes != null) {
            for (PGNotification n : notes) {
              wake(n.getParameter());
            }
          }
        }
      } catch (Exception e) {
        if (!running) {
          return;
        }
        LOG.warnf("lease notification listener lost its connection: %s", e.getMessage());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private void wake(String environment) {
    Set<CompletableFuture<Void>> set = waiters.get(environment);
    if (set != null) {
      set.forEach(f -> f.complete(null));
    }
  }

  private void wakeAll() {
    waiters.values().forEach(set -> set.forEach(f -> f.complete(null)));
  }
}
