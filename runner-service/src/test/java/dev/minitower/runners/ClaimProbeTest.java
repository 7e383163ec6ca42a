package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.leaseRaw;
import static dev.minitower.runners.RunnerApi.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.testsupport.DbFixtures;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A lease try looks before it claims: with nothing leasable for a runner seen within the touch
 * window, the poll is one read (no write, no commit to flush). Anything else goes on to the claim's
 * transaction as before: a queued run, a runner due for its {@code last_seen_at} refresh (so idle
 * runners stay online), an unknown or offline runner (refused by the claim).
 */
@QuarkusTest
class ClaimProbeTest {
  @Inject DbFixtures db;
  @Inject MeterRegistry meters;

  private double tries(String path) {
    // Registered with the lease service, on its first use.
    var counter = meters.find("minitower.lease.tries").tag("path", path).counter();
    return counter == null ? 0 : counter.count();
  }

  private String lastSeen(Runner runner) {
    return db.string("SELECT last_seen_at::text FROM runners WHERE id = ?", runner.id());
  }

  @Test
  void anEmptyPollOfARecentlySeenRunnerWritesNothing() {
    String env = DbFixtures.uniqueEnvironment();
    Runner runner = register(DbFixtures.uniqueSlug("probe"), env);
    // The first poll after the registration marks the token in use (a claim), the next one looks.
    leaseRaw(runner).then().statusCode(204);
    String seen = lastSeen(runner);
    double looks = tries("probe");
    double claims = tries("claim");

    leaseRaw(runner).then().statusCode(204);

    assertThat(tries("probe") - looks).isEqualTo(1.0);
    assertThat(tries("claim") - claims).isZero();
    assertThat(lastSeen(runner)).isEqualTo(seen);
  }

  @Test
  void aQueuedRunIsClaimedAsBefore() {
    String env = DbFixtures.uniqueEnvironment();
    long run = db.queuedRun(db.app(env), 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("probe"), env);
    double claims = tries("claim");

    assertThat(leaseRaw(runner).then().statusCode(200).extract().jsonPath().getLong("run_id"))
        .isEqualTo(run);
    assertThat(tries("claim") - claims).isEqualTo(1.0);
  }

  @Test
  void anIdleRunnerDueForItsRefreshIsTouchedSoItStaysOnline() {
    String env = DbFixtures.uniqueEnvironment();
    Runner runner = register(DbFixtures.uniqueSlug("probe"), env);
    db.exec(
        "UPDATE runners SET last_seen_at = now() - interval '1 minute' WHERE id = ?", runner.id());

    leaseRaw(runner).then().statusCode(204);

    assertThat(
            db.count(
                "SELECT count(*) FROM runners WHERE id = ? AND last_seen_at > now() - interval '10 seconds'",
                runner.id()))
        .isEqualTo(1);
  }

  @Test
  void anOfflineRunnerIsRefusedEvenWithNothingQueued() {
    String env = DbFixtures.uniqueEnvironment();
    Runner runner = register(DbFixtures.uniqueSlug("probe"), env);
    db.exec("UPDATE runners SET status = 'offline' WHERE id = ?", runner.id());

    // The token check may answer from its cache until the revocation notice arrives; the claim
    // refuses in any case (the look never answers for an offline runner).
    assertThat(leaseRaw(runner).statusCode()).isEqualTo(401);
  }

  @Test
  void anotherTeamsQueuedRunIsNothingForATeamRunner() {
    String env = DbFixtures.uniqueEnvironment();
    DbFixtures.App mine = db.app(env);
    DbFixtures.App theirs = db.app(env);
    db.queuedRun(theirs, 0, 0);
    String token = "mrt_" + UUID.randomUUID();
    db.exec(
        "INSERT INTO runner_registration_tokens (team_id, token_hash) VALUES (?, ?)",
        mine.teamId(),
        DbFixtures.sha256(token));
    var registered =
        register(token, Map.of("name", DbFixtures.uniqueSlug("team"), "environment", env));
    registered.then().statusCode(201);
    Runner runner =
        new Runner(
            registered.jsonPath().getLong("runner_id"), registered.jsonPath().getString("token"));
    leaseRaw(runner).then().statusCode(204);
    double claims = tries("claim");

    leaseRaw(runner).then().statusCode(204);

    assertThat(tries("claim") - claims).isZero();
    assertThat(
            db.count(
                "SELECT count(*) FROM runs WHERE app_id = ? AND status = 'queued'", theirs.appId()))
        .isEqualTo(1);
  }
}
