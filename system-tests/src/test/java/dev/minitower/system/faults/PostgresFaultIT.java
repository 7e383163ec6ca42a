package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md scenario 5: PostgreSQL stopped hard ({@code pg_ctl stop -m immediate}) under
 * load and started again. Uses a PRIVATE cluster (deploy/local/pg.sh under its own MTW_HOME and
 * port), never the shared one. The services must report not-ready while it is down and recover by
 * themselves; afterwards no run is completed twice and every transition has its outbox event.
 */
class PostgresFaultIT {

  @Test
  void postgresCrashedUnderLoadServicesGoNotReadyThenRecoverAndInvariantsHold() throws Exception {
    int outages = Sys.pick(1, 3);
    long downMs = Sys.pick(3_000, 60_000);
    try (LocalInfra pg = LocalInfra.postgres().start();
        Events events = new Events(Sys.KAFKA);
        Stack stack = new Stack(pg.jdbcUrl(), Sys.KAFKA, false)) {
      Svc api = stack.add("api-service");
      Svc runners = stack.add("runner-service");
      stack.add("scheduler-service");
      stack.awaitReady();
      await().atMost(Duration.ofSeconds(60)).until(events::positioned);
      Api team = Api.bootstrap(api.baseUrl(), "boot-secret", "pg-faults", "fault-password");
      team.deployShell("pg-job", "#!/bin/sh\necho hi\n");
      assertThat(team.post("/api/v1/environments", "{\"name\":\"pg-env\"}").status())
          .isIn(200, 201);
      Runner runner = Runner.register(runners.baseUrl(), "pg-runner", "pg-env");
      long recovery = 0;
      long notReadyMs = 0;
      try (Load load = new Load(team, "pg-job", "pg-env", runner, 20).start()) {
        for (int o = 0; o < outages; o++) {
          long before = load.completedRuns.size();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> load.completedRuns.size() >= before + 20);
          pg.crashPostgres();
          long t0 = System.nanoTime();
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> stack.services.stream().noneMatch(Svc::ready));
          notReadyMs = Math.max(notReadyMs, (System.nanoTime() - t0) / 1_000_000);
          // A runner whose token is cached (no database read to authenticate it) polls: its
          // look at the queue fails and the answer is 503 unavailable, never a 500.
          Http.Res poll =
              Http.post(runners.baseUrl() + "/api/v1/runs/lease", runner.token, (String) null);
          assertThat(poll.status()).as(poll.toString()).isEqualTo(503);
          assertThat(poll.json().path("error").path("code").asText()).isEqualTo("unavailable");
          await("every service says not-ready while the database is down")
              .during(Duration.ofMillis(downMs))
              .atMost(Duration.ofMillis(downMs).plusSeconds(10))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> stack.services.stream().noneMatch(Svc::ready));
          pg.start();
          long t1 = System.nanoTime();
          stack.awaitReady();
          recovery = Math.max(recovery, (System.nanoTime() - t1) / 1_000_000);
          long after = load.completedRuns.size();
          await()
              .atMost(Duration.ofSeconds(120))
              .until(() -> load.completedRuns.size() >= after + 20);
        }
      }
      assertThat(stack.services).allMatch(Svc::isAlive);
      // Drain what the load left behind (lost leases come back through the reaper).
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
      Invariants inv = Invariants.check(stack, events);
      Sys.report(
          String.format(
              "FAULT scenario=5 runs=%d faults=%d completed=%d failed=%d dead=%d double_results=%d"
                  + " transitions_without_event=%d lost_events=%d not_ready_ms=%d down_ms=%d"
                  + " recovery_ms=%d",
              stack.scalar("SELECT count(*) FROM runs"),
              outages,
              stack.scalar("SELECT count(*) FROM runs WHERE status = 'completed'"),
              stack.scalar("SELECT count(*) FROM runs WHERE status = 'failed'"),
              stack.scalar("SELECT count(*) FROM runs WHERE status = 'dead'"),
              inv.doubleResults(),
              inv.transitionsWithoutEvent(),
              inv.lostEvents(),
              notReadyMs,
              downMs,
              recovery));
      inv.assertHeld();
    }
  }

  /** Cross-checks of the run tables against the outbox and the Kafka consumer. */
  record Invariants(
      long doubleResults, long transitionsWithoutEvent, long lostEvents, List<String> detail) {
    static Invariants check(Stack stack, Events events) {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> stack.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> AgentFaultIT.missing(stack, events).isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // counted below
      }
      long doubles =
          stack.scalar(
                  "SELECT count(*) FROM (SELECT run_id FROM run_attempts WHERE status IN"
                      + " ('completed','failed','cancelled') GROUP BY run_id HAVING count(*) > 1) d")
              + stack.scalar(
                  "SELECT count(*) FROM (SELECT message_key FROM outbox WHERE event_type ="
                      + " 'dev.minitower.run.completed' GROUP BY message_key HAVING count(*) > 1) d");
      Map<String, String> expected =
          Map.of(
              "dev.minitower.run.created", "SELECT count(*) FROM runs",
              "dev.minitower.run.leased", "SELECT count(*) FROM run_attempts",
              "dev.minitower.run.started",
                  "SELECT count(*) FROM run_attempts WHERE started_at IS NOT NULL",
              "dev.minitower.run.completed", "SELECT count(*) FROM runs WHERE status = 'completed'",
              "dev.minitower.run.requeued", "SELECT coalesce(sum(retry_count), 0) FROM runs",
              "dev.minitower.run.dead", "SELECT count(*) FROM runs WHERE status = 'dead'");
      long missingEvents = 0;
      List<String> detail = new java.util.ArrayList<>();
      for (var e : expected.entrySet()) {
        long want = stack.scalar(e.getValue());
        long have =
            stack.scalar("SELECT count(*) FROM outbox WHERE event_type = '" + e.getKey() + "'");
        if (want != have) {
          missingEvents += Math.abs(want - have);
          detail.add(e.getKey() + ": rows=" + want + " events=" + have);
        }
      }
      return new Invariants(
          doubles, missingEvents, AgentFaultIT.missing(stack, events).size(), detail);
    }

    void assertHeld() {
      assertThat(doubleResults).as("runs completed twice").isZero();
      assertThat(transitionsWithoutEvent).as("transitions without their event: " + detail).isZero();
      assertThat(lostEvents).as("outbox events never delivered").isZero();
    }
  }
}
