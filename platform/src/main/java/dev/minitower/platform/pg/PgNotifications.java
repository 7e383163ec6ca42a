package dev.minitower.platform.pg;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL {@code LISTEN}: one dedicated connection per service (outside the pool) receives the
 * notifications that transactions send at commit and hands each payload to the channel's handlers.
 * After a lost connection it reconnects and calls every handler once with {@code null} ("you may
 * have missed something"). Every replica of a service receives every notification.
 */
@ApplicationScoped
public class PgNotifications {
  private static final Logger LOG = Logger.getLogger(PgNotifications.class);
  private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
  private final String url;
  private final String user;
  private final String password;
  private final Runnable afterListens;
  private volatile boolean running;
  private Thread listener;

  @Inject
  PgNotifications(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") String password) {
    this(url, user, password, () -> {});
  }

  /**
   * For tests: {@code afterListens} runs on the listener thread each time it has issued its {@code
   * LISTEN}s, the moment at which a channel registered concurrently is the hardest to hear.
   */
  PgNotifications(String url, String user, String password, Runnable afterListens) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.afterListens = afterListens;
  }

  /**
   * Registers {@code handler} for {@code channel} and starts listening (the first call starts the
   * listener thread). Handlers run on the listener thread: keep them short.
   */
  public synchronized void listen(String channel, Consumer<String> handler) {
    if (!CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("bad channel name: " + channel);
    }
    handlers.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(handler);
    if (listener == null) {
      running = true;
      listener = new Thread(this::loop, "pg-notifications");
      listener.setDaemon(true);
      listener.start();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (listener != null) {
      listener.interrupt();
    }
  }

  private void loop() {
    long backoffMs = 200;
    boolean lost = false;
    while (running) {
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        // The channels as of now: one registered while these LISTENs run makes the count differ
        // below, so the loop reconnects and listens to it too (counting after the LISTENs could
        // include a channel never listened to, deaf for the life of the process).
        Set<String> channels = Set.copyOf(handlers.keySet());
        try (Statement s = c.createStatement()) {
          for (String channel : channels) {
            s.execute("LISTEN " + channel);
          }
        }
        afterListens.run();
        PGConnection pg = c.unwrap(PGConnection.class);
        backoffMs = 200;
        if (lost) {
          LOG.info("notification listener connected again");
          lost = false;
        }
        handlers.values().forEach(list -> list.forEach(h -> safely(h, null)));
        while (running && channels.size() == handlers.size()) {
          PGNotification[] notes = pg.getNotifications(1000);
          if (notes != null) {
            for (PGNotification n : notes) {
              handlers
                  .getOrDefault(n.getName(), List.of())
                  .forEach(h -> safely(h, n.getParameter()));
            }
          }
        }
      } catch (Exception e) {
        if (!running) {
          return;
        }
        // Once per outage: reconnection attempts while the database is down are not news.
        if (lost) {
          LOG.debugf("notification listener still cannot connect: %s", e.getMessage());
        } else {
          LOG.warnf("notification listener lost its connection: %s", e.getMessage());
          lost = true;
        }
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

  private static void safely(Consumer<String> handler, String payload) {
    try {
      handler.accept(payload);
    } catch (RuntimeException e) {
      LOG.warnf(e, "notification handler failed");
    }
  }
}
