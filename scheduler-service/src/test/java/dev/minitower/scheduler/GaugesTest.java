package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.testsupport.DbFixtures;
import dev.minitower.testsupport.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scrape-time gauges: queued runs per team/app/environment and online runners. */
@QuarkusTest
class GaugesTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  @Inject RunSteps steps;
  @Inject DbFixtures db;

  @Test
  void pendingRunsAndOnlineRunnersAreScrapedByGroupAndZeroGroupsAreLeftOut() {
    db.clearQueue();
    String env = DbFixtures.uniqueEnvironment();
    DbFixtures.App app = db.app(env);
    for (int i = 0; i < 3; i++) {
      steps.create(app, 0, false);
    }
    db.runner(null, env, 1);
    db.runner(null, env, 1);
    String other = DbFixtures.uniqueEnvironment();
    DbFixtures.App idle = db.app(other);
    long runner = db.runner(null, other, 1);
    db.exec("UPDATE runners SET status = 'offline' WHERE id = ?", runner);

    // refreshed every two seconds: wait for a fresh reading
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String m = scrape();
              assertThat(series(m, "minitower_runs_pending"))
                  .anyMatch(
                      l ->
                          l.contains("team=\"" + app.teamSlug() + "\"")
                              && l.contains("app=\"" + app.appSlug() + "\"")
                              && l.contains("environment=\"" + env + "\"")
                              && l.endsWith(" 3.0"));
              assertThat(series(m, "minitower_runners_online"))
                  .anyMatch(l -> l.contains("environment=\"" + env + "\"") && l.endsWith(" 2.0"));
            });
    String metrics = scrape();
    assertThat(metrics).doesNotContain("app=\"" + idle.appSlug() + "\"");
    assertThat(metrics).doesNotContain("environment=\"" + other + "\"");
    assertThat(metrics).contains("# TYPE minitower_outbox_backlog gauge");
  }

  private static java.util.List<String> series(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + "{")).toList();
  }

  private String scrape() {
    return Management.scrape(management);
  }
}
