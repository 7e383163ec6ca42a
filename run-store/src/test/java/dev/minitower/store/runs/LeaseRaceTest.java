package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.model.error.Refusal;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many concurrent leasers over one queue: every run is leased and completed exactly once. */
@QuarkusTest
class LeaseRaceTest {
  private static final int RUNS = 2000;
  private static final int LEASERS = 8;

  @Inject AttemptTransitions transitions;
  @Inject DbFixtures fixtures;

  @Test
  void eightConcurrentLeasersNeverDoubleLease() throws Exception {
    race(false);
  }

  /** The same race with batch leasing (up to 4 per claim) and the fused lease-and-start. */
  @Test
  void eightConcurrentBatchLeasersWithFusedStartNeverDoubleLease() throws Exception {
    race(true);
  }

  /**
   * One runner of 3 slots claimed by 8 threads at once (half of them refusing when full, as a poll
   * does; half not, as a result's next run does), with nothing completed: every wave grants exactly
   * its free slots, never more. The claim counts the runner's leases with a snapshot taken after
   * the runner row's lock (RunSql.LOCK_RUNNER_AND_LEASE), so claims that queued on that lock see
   * each other's attempts.
   */
  @Test
  void concurrentClaimsOfOneRunnerNeverExceedItsSlots() throws Exception {
    String env = "slots-" + UUID.randomUUID().toString().substring(0, 8);
    DbFixtures.App app = fixtures.app(env);
    fixtures.exec(
        "INSERT INTO runs (team_id, app_id, app_version_id, environment_id, environment_name,"
            + " run_no) SELECT ?, ?, ?, ?, ?, g FROM generate_series(1, 200) g",
        app.teamId(),
        app.appId(),
        app.versionId(),
        app.envId(),
        env);
    RunnerRef runner = new RunnerRef(fixtures.runner(null, env, 3), null, env, 3);
    ExecutorService pool = Executors.newFixedThreadPool(LEASERS);
    try {
      for (int wave = 0; wave < 12; wave++) {
        int expected = wave % 2 == 0 ? 3 : 0; // odd waves find the runner full
        assertThat(claimAtOnce(pool, runner)).as("granted in wave %d", wave).isEqualTo(expected);
        assertThat(
                fixtures.count(
                    "SELECT count(*) FROM run_attempts WHERE runner_id = ?"
                        + " AND status IN ('leased', 'running', 'cancelling')",
                    runner.runnerId()))
            .as("live leases after wave %d", wave)
            .isEqualTo(3);
        if (wave % 2 == 1) {
          fixtures.exec(
              "UPDATE run_attempts SET status = 'completed', finished_at = now()"
                  + " WHERE runner_id = ? AND status = 'running'",
              runner.runnerId());
          fixtures.exec(
              "UPDATE runs SET status = 'completed', finished_at = now()"
                  + " WHERE app_id = ? AND status = 'running'",
              app.appId());
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  private int claimAtOnce(ExecutorService pool, RunnerRef runner) throws Exception {
    CyclicBarrier together = new CyclicBarrier(LEASERS);
    List<Future<Integer>> claims = new ArrayList<>();
    for (int w = 0; w < LEASERS; w++) {
      boolean refuse = w % 2 == 0;
      List<String> hashes =
          List.of(
              DbFixtures.sha256(UUID.randomUUID().toString()),
              DbFixtures.sha256(UUID.randomUUID().toString()));
      claims.add(
          pool.submit(
              () -> {
                together.await();
                try {
                  return QuarkusTransaction.requiringNew()
                      .call(
                          () ->
                              refuse
                                  ? transitions.leaseBatch(
                                      runner, hashes, Duration.ofMinutes(5), true)
                                  : transitions.leaseBatchIfFree(
                                      runner, hashes, Duration.ofMinutes(5), true))
                      .size();
                } catch (RunRefusal full) {
                  assertThat(full.reason()).isEqualTo(Refusal.Reason.CONFLICT);
                  return 0;
                }
              }));
    }
    int granted = 0;
    for (Future<Integer> f : claims) {
      granted += f.get();
    }
    return granted;
  }

  private void race(boolean batch) throws Exception {
    String env = "race-" + UUID.randomUUID().toString().substring(0, 8);
    DbFixtures.App app = fixtures.app(env);
    fixtures.exec(
        "INSERT INTO runs (team_id, app_id, app_version_id, environment_id, environment_name,"
            + " run_no, priority) SELECT ?, ?, ?, ?, ?, g, g % 3 FROM generate_series(1, ?) g",
        app.teamId(), app.appId(), app.versionId(), app.envId(), env, RUNS);
    ConcurrentHashMap<Long, AtomicInteger> leasedTimes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(LEASERS);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < LEASERS; w++) {
      RunnerRef runner = new RunnerRef(fixtures.runner(null, env, 4), null, env, 4);
      workers.add(
          pool.submit(
              () -> {
                int done = 0;
                while (true) {
                  List<String> tokens = new ArrayList<>();
                  for (int i = 0; i < (batch ? 4 : 1); i++) {
                    tokens.add(UUID.randomUUID().toString());
                  }
                  List<String> hashes = tokens.stream().map(DbFixtures::sha256).toList();
                  List<LeaseGrant> grants =
                      QuarkusTransaction.requiringNew()
                          .call(
                              () ->
                                  batch
                                      ? transitions.leaseBatch(
                                          runner, hashes, Duration.ofMinutes(5), true)
                                      : transitions
                                          .lease(runner, hashes.get(0), Duration.ofMinutes(5))
                                          .stream()
                                          .toList());
                  if (grants.isEmpty()) {
                    return done;
                  }
                  for (int i = 0; i < grants.size(); i++) {
                    LeaseGrant g = grants.get(i);
                    assertThat(g.started()).isEqualTo(batch);
                    leasedTimes
                        .computeIfAbsent(g.runId(), k -> new AtomicInteger())
                        .incrementAndGet();
                    LeaseRef ref = new LeaseRef(g.runId(), runner.runnerId(), hashes.get(i));
                    QuarkusTransaction.requiringNew()
                        .call(() -> transitions.complete(ref, new RunResult("completed", 0, null)));
                    done++;
                  }
                }
              }));
    }
    int total = 0;
    for (Future<Integer> f : workers) {
      total += f.get();
    }
    pool.shutdown();

    assertThat(total).isEqualTo(RUNS);
    assertThat(leasedTimes).hasSize(RUNS);
    assertThat(leasedTimes.values()).allMatch(n -> n.get() == 1);
    assertThat(
            fixtures.count(
                "SELECT count(*) FROM runs WHERE app_id = ? AND status = 'completed'", app.appId()))
        .isEqualTo(RUNS);
    assertThat(
            fixtures.count(
                "SELECT count(*) FROM run_attempts a JOIN runs r ON r.id = a.run_id"
                    + " WHERE r.app_id = ?",
                app.appId()))
        .isEqualTo(RUNS);
  }
}
