package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.store.runs.RunRecords.RunnerRef;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A claim refreshes its runner's {@code last_seen_at} only when that is over a second old or not
 * yet past the token's issue; otherwise it only locks the row (RunSql.LOCK_RUNNER_COUNT_ACTIVE).
 */
@QuarkusTest
class RunnerTouchTest {
  @Inject AttemptTransitions transitions;
  @Inject DbFixtures fixtures;

  @Test
  void aClaimWritesLastSeenOnlyWhenItIsStaleOrTheTokenIsUnused() {
    String env = "touch-" + UUID.randomUUID().toString().substring(0, 8);
    fixtures.app(env);
    long id = fixtures.runner(null, env, 1);
    RunnerRef runner = new RunnerRef(id, null, env, 1);

    // Never seen since its token was issued: the first claim marks the token in use.
    fixtures.exec(
        "UPDATE runners SET token_issued_at = now() - interval '1 minute',"
            + " last_seen_at = now() - interval '1 minute' WHERE id = ?",
        id);
    claim(runner);
    assertThat(secondsSinceSeen(id)).isLessThan(1.0);
    assertThat(seenAfterIssue(id)).isTrue();

    // Seen 300 ms ago: the claim leaves the row as it is.
    fixtures.exec("UPDATE runners SET last_seen_at = now() - interval '300 ms' WHERE id = ?", id);
    String before = lastSeen(id);
    claim(runner);
    assertThat(lastSeen(id)).isEqualTo(before);

    // Seen 5 s ago: refreshed.
    fixtures.exec(
        "UPDATE runners SET last_seen_at = now() - interval '5 seconds' WHERE id = ?", id);
    claim(runner);
    assertThat(secondsSinceSeen(id)).isLessThan(1.0);

    // Offline: not touched, and nothing claimed.
    fixtures.exec(
        "UPDATE runners SET status = 'offline', last_seen_at = now() - interval '5 seconds'"
            + " WHERE id = ?",
        id);
    assertThat(claim(runner)).isEmpty();
    assertThat(secondsSinceSeen(id)).isGreaterThan(4.0);
  }

  private List<RunRecords.LeaseGrant> claim(RunnerRef runner) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                transitions.leaseBatchIfFree(
                    runner, List.of(DbFixtures.sha256("t")), Duration.ofMinutes(1), false));
  }

  private String lastSeen(long id) {
    return fixtures.string("SELECT last_seen_at::text FROM runners WHERE id = ?", id);
  }

  private double secondsSinceSeen(long id) {
    return Double.parseDouble(
        fixtures.string(
            "SELECT extract(epoch FROM now() - last_seen_at)::text FROM runners WHERE id = ?", id));
  }

  private boolean seenAfterIssue(long id) {
    return fixtures.count(
            "SELECT count(*) FROM runners WHERE id = ? AND last_seen_at > token_issued_at", id)
        == 1;
  }
}
