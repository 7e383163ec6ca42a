package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md scenario 10: a long transaction elsewhere in the database holds the row lock
 * run creation needs (the app row) and then idles. Creation stalls, leasing and completing go on,
 * and the database's {@code idle_in_transaction_session_timeout} (set on the test database) ends
 * the intruder and bounds the damage; afterwards every invariant holds.
 */
class LongTransactionFaultIT {
  static final int IDLE_TIMEOUT_S = 8;

  @Test
  void anIdleTransactionHoldingALockDegradesButNeverBreaksAndTheTimeoutEndsIt() throws Exception {
    int rounds = Sys.pick(1, 5);
    try (Events events = new Events(Sys.KAFKA);
        Stack stack = Stack.fresh("mt_longtx")) {
      String db = stack.jdbcUrl.substring(stack.jdbcUrl.lastIndexOf('/') + 1);
      Sys.exec(
          Sys.JDBC_URL,
          "ALTER DATABASE "
              + db
              + " SET idle_in_transaction_session_timeout = '"
              + IDLE_TIMEOUT_S
              + "s'");
      Svc api = stack.add("api-service");
      Svc runners = stack.add("runner-service");
      stack.add("scheduler-service");
      stack.awaitReady();
      await().atMost(Duration.ofSeconds(60)).until(events::positioned);
      Api team = Api.bootstrap(api.baseUrl(), "boot-secret", "lt-faults", "fault-password");
      team.deployShell("lt-job", "#!/bin/sh\necho hi\n");
      assertThat(team.post("/api/v1/environments", "{\"name\":\"lt-env\"}").status())
          .isIn(200, 201);
      Runner runner = Runner.register(runners.baseUrl(), "lt-runner", "lt-env");
      long maxBlockedMs = 0;
      long completedWhileBlocked = 0;
      try (Load load = new Load(team, "lt-job", "lt-env", runner, 50).start()) {
        for (int r = 0; r < rounds; r++) {
          long before = load.createdRuns.size();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> load.createdRuns.size() >= before + 20);
          Connection intruder = Sys.connect(stack.jdbcUrl);
          intruder.setAutoCommit(false);
          try (Statement s = intruder.createStatement()) {
            s.execute("SELECT id FROM apps WHERE slug = 'lt-job' FOR UPDATE");
          }
          long t0 = System.nanoTime();
          long createdAtLock = load.createdRuns.size();
          long completedAtLock = load.completedRuns.size();
          // PostgreSQL ends the idle transaction; creation resumes by itself.
          await()
              .atMost(Duration.ofSeconds(IDLE_TIMEOUT_S + 60))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> load.createdRuns.size() > createdAtLock + 1);
          maxBlockedMs = Math.max(maxBlockedMs, (System.nanoTime() - t0) / 1_000_000);
          completedWhileBlocked += load.completedRuns.size() - completedAtLock;
          boolean killed;
          try (Statement s = intruder.createStatement()) {
            s.execute("SELECT 1");
            killed = false;
          } catch (SQLException e) {
            killed = true;
          }
          intruder.close();
          assertThat(killed).as("the idle transaction was ended by the server").isTrue();
        }
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Runner.Lease l = runner.lease();
                if (l != null) {
                  runner.call(l, "result", "{\"status\":\"completed\"}");
                }
                return stack.scalar("SELECT count(*) FROM runs WHERE finished_at IS NULL") == 0;
              });
      long duplicates =
          stack.scalar(
              "SELECT count(*) FROM (SELECT idempotency_key FROM runs WHERE idempotency_key IS NOT"
                  + " NULL GROUP BY idempotency_key HAVING count(*) > 1) d");
      PostgresFaultIT.Invariants inv = PostgresFaultIT.Invariants.check(stack, events);
      Sys.report(
          String.format(
              "FAULT scenario=10 runs=%d faults=%d completed=%d failed=%d dead=%d"
                  + " completed_while_blocked=%d blocked_ms=%d idle_timeout_s=%d duplicate_runs=%d"
                  + " double_results=%d transitions_without_event=%d lost_events=%d",
              stack.scalar("SELECT count(*) FROM runs"),
              rounds,
              stack.scalar("SELECT count(*) FROM runs WHERE status = 'completed'"),
              stack.scalar("SELECT count(*) FROM runs WHERE status = 'failed'"),
              stack.scalar("SELECT count(*) FROM runs WHERE status = 'dead'"),
              completedWhileBlocked,
              maxBlockedMs,
              IDLE_TIMEOUT_S,
              duplicates,
              inv.doubleResults(),
              inv.transitionsWithoutEvent(),
              inv.lostEvents()));
      assertThat(duplicates).isZero();
      assertThat(maxBlockedMs)
          .as("the damage is bounded by the idle timeout (+ margin)")
          .isLessThan((IDLE_TIMEOUT_S + 30) * 1000L);
      inv.assertHeld();
    }
  }
}
