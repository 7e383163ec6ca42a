package dev.minitower.platform.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Channels registered while the listener connects and issues its {@code LISTEN}s are all heard: the
 * services register theirs from start-up observers while the listener thread is already connecting,
 * and a channel missed then stayed deaf for the life of the process (a long poll was then woken
 * only by its 5 s re-check).
 */
@QuarkusTest
class PgNotificationsTest {
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  @Test
  void everyChannelRegisteredDuringConnectIsHeard() throws Exception {
    for (int r = 0; r < 5; r++) {
      int round = r;
      PgNotifications listener = new PgNotifications(url, user, password);
      Set<String> heard = ConcurrentHashMap.newKeySet();
      int channels = 40;
      try {
        for (int i = 0; i < channels; i++) {
          String channel = "mt_test_" + round + "_" + i;
          listener.listen(channel, payload -> heard.add(channel + ":" + payload));
          Thread.sleep(1); // spread the registrations over the connect and its LISTENs
        }
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  for (int i = 0; i < channels; i++) {
                    notify("mt_test_" + round + "_" + i, "x");
                  }
                  return heard.stream().filter(h -> h.endsWith(":x")).count() == channels;
                });
        assertThat(heard.stream().filter(h -> h.endsWith(":x"))).hasSize(channels);
      } finally {
        listener.stop(null);
      }
    }
  }

  /**
   * The same race made certain: a channel registered right after the listener's {@code LISTEN}s
   * (from the listener thread itself, through the test hook) is heard. A listener that took its
   * channel count after the {@code LISTEN}s would count this channel as listened to and stay deaf
   * to it for good; this one reconnects and listens to it.
   */
  @Test
  void aChannelRegisteredJustAfterTheListensIsHeard() throws Exception {
    Set<String> heard = ConcurrentHashMap.newKeySet();
    AtomicInteger connects = new AtomicInteger();
    AtomicReference<PgNotifications> self = new AtomicReference<>();
    PgNotifications listener =
        new PgNotifications(
            url,
            user,
            password,
            () -> {
              if (connects.incrementAndGet() == 1) {
                self.get().listen("mt_test_late", payload -> heard.add("late:" + payload));
              }
            });
    self.set(listener);
    try {
      listener.listen("mt_test_early", payload -> heard.add("early:" + payload));
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                notify("mt_test_early", "x");
                notify("mt_test_late", "x");
                return heard.contains("early:x") && heard.contains("late:x");
              });
      // Heard because the listener connected again with both channels, not by chance.
      assertThat(connects.get()).isGreaterThanOrEqualTo(2);
    } finally {
      listener.stop(null);
    }
  }

  private void notify(String channel, String payload) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, channel);
      ps.setString(2, payload);
      ps.execute();
    }
  }
}
