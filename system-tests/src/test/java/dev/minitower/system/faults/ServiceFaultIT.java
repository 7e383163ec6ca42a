package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the services (docs/reliability.md scenarios 4, 7, 8): api-service and runner-service
 * replicas SIGKILLed under retrying clients, the outbox relay (scheduler-service) SIGKILLed while
 * it publishes, and scheduler-service down for a while, then back as two replicas. Two replicas of
 * api-service and runner-service, one scheduler-service (a second one in scenario 8), fresh
 * database on the shared PostgreSQL, the shared Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceFaultIT {
  static final int OUTBOX_BATCH = 50;
  private Stack stack;
  private final List<Svc> apis = new ArrayList<>();
  private final List<Svc> runnerServices = new ArrayList<>();
  private Svc scheduler;
  private Api team;
  private Events events;
  private final Random random = new Random();
  private final Map<String, String> schedulerEnv =
      Map.of("MINITOWER_OUTBOX_BATCH_SIZE", Integer.toString(OUTBOX_BATCH));

  @BeforeAll
  void start() throws Exception {
    stack = Stack.fresh("mt_svcfault");
    events = new Events(Sys.KAFKA);
    stack.track(events);
    for (int i = 0; i < 2; i++) {
      apis.add(stack.add("api-service"));
      runnerServices.add(stack.add("runner-service"));
    }
    scheduler = stack.add("scheduler-service", schedulerEnv);
    stack.awaitReady();
    team = Api.bootstrap(apis.get(0).baseUrl(), "boot-secret", "svc-faults", "fault-password");
    team.deployShell("svc-job", "#!/bin/sh\necho hi\n");
    await().atMost(Duration.ofSeconds(60)).until(events::positioned);
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** An answer that says nothing about the outcome: retry it (same key, same lease). */
  private static boolean transientFailure(Http.Res r) {
    return r.status() == -1 || r.status() >= 500;
  }

  // ---------------------------------------------------------------- scenario 4

  @Test
  @Order(1)
  void replicasKilledMidRequestLoseNothingAcknowledgedAndDuplicateNoRun() throws Exception {
    int runs = Sys.pick(160, 2000);
    int faults = Sys.pick(2, 10);
    int creators = 3;
    int leasers = 3;
    ConcurrentHashMap<String, Long> acked = new ConcurrentHashMap<>();
    ConcurrentHashMap<Long, String> completedAcked = new ConcurrentHashMap<>();
    AtomicLong retried = new AtomicLong();
    AtomicLong created = new AtomicLong();
    AtomicBoolean creating = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(creators + leasers + 1);
    List<Future<?>> work = new ArrayList<>();
    String env = "svc-env";
    assertThat(team.post("/api/v1/environments", "{\"name\":\"" + env + "\"}").status())
        .isIn(200, 201);
    for (int c = 0; c < creators; c++) {
      int me = c;
      work.add(
          pool.submit(
              () -> {
                int i = 0;
                while (created.get() < runs) {
                  String key = "k-" + me + "-" + (i++) + "-" + UUID.randomUUID();
                  String body = "{\"environment\":\"" + env + "\",\"max_retries\":5}";
                  int replica = random.nextInt(2);
                  for (int attempt = 0; ; attempt++) {
                    Svc api = apis.get((replica + attempt) % 2);
                    Http.Res r =
                        Http.post(
                            api.baseUrl() + "/api/v1/apps/svc-job/runs",
                            team.token,
                            body,
                            "Idempotency-Key",
                            key);
                    if (r.status() == 201 || r.status() == 200) {
                      Long prev = acked.put(key, r.json().get("run_id").asLong());
                      assertThat(prev == null || prev == r.json().get("run_id").asLong())
                          .as("same key, same run")
                          .isTrue();
                      created.incrementAndGet();
                      break;
                    }
                    assertThat(transientFailure(r)).as("create: " + r).isTrue();
                    retried.incrementAndGet();
                    sleep(100);
                  }
                }
                return null;
              }));
    }
    for (int l = 0; l < leasers; l++) {
      int me = l;
      work.add(
          pool.submit(
              () -> {
                Runner runner =
                    Runner.register(runnerServices.get(me % 2).baseUrl(), "svc-runner-" + me, env);
                int replica = me;
                while (true) {
                  Svc rs = runnerServices.get(replica++ % 2);
                  Http.Res r =
                      Http.post(rs.baseUrl() + "/api/v1/runs/lease", runner.token, (String) null);
                  if (r.status() == 204 || r.status() == 409) {
                    if (!creating.get()
                        && stack.scalar("SELECT count(*) FROM runs WHERE finished_at IS NULL")
                            == 0) {
                      return null;
                    }
                    sleep(200);
                    continue;
                  }
                  if (r.status() != 200) {
                    assertThat(transientFailure(r)).as("lease: " + r).isTrue();
                    retried.incrementAndGet();
                    sleep(200);
                    continue;
                  }
                  long run = r.json().get("run_id").asLong();
                  String lease = r.json().get("lease_token").asText();
                  if (!call(rs, runner, run, lease, "start", null, retried)) {
                    continue;
                  }
                  if (call(
                      rs, runner, run, lease, "result", "{\"status\":\"completed\"}", retried)) {
                    completedAcked.put(run, lease);
                  }
                }
              }));
    }
    // Chaos: kill a replica mid-load, restart it, alternate api-service and runner-service.
    long recovery = 0;
    for (int f = 0; f < faults; f++) {
      long threshold = (long) runs * (f + 1) / (faults + 1);
      await().atMost(Duration.ofSeconds(300)).until(() -> created.get() >= threshold);
      List<Svc> group = f % 2 == 0 ? apis : runnerServices;
      Svc victim = group.get((f / 2) % 2);
      victim.kill();
      long t0 = System.nanoTime();
      victim.restart();
      stack.awaitReady(victim);
      recovery = Math.max(recovery, (System.nanoTime() - t0) / 1_000_000);
    }
    await().atMost(Duration.ofSeconds(300)).until(() -> created.get() >= runs);
    creating.set(false);
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();

    long duplicates =
        stack.scalar(
            "SELECT count(*) FROM (SELECT idempotency_key FROM runs WHERE idempotency_key IS NOT"
                + " NULL GROUP BY team_id, app_id, idempotency_key HAVING count(*) > 1) d");
    long storedKeys =
        stack.scalar(
            "SELECT count(DISTINCT idempotency_key) FROM runs WHERE idempotency_key LIKE 'k-%'");
    long lostCreates = acked.size() - storedKeys;
    Set<String> runIds = new HashSet<>(Sys.strings(stack.jdbcUrl, "SELECT id::text FROM runs"));
    lostCreates += acked.values().stream().filter(id -> !runIds.contains(id.toString())).count();
    long lostResults =
        completedAcked.keySet().stream()
            .filter(
                run ->
                    stack.scalar(
                            "SELECT count(*) FROM run_attempts WHERE status = 'completed' AND run_id = "
                                + run)
                        != 1)
            .count();
    long transitionsWithoutEvent =
        stack.scalar(
            "SELECT count(*) FROM runs r WHERE r.status = 'completed' AND NOT EXISTS (SELECT 1 FROM"
                + " outbox o WHERE o.message_key = r.id::text AND o.event_type ="
                + " 'dev.minitower.run.completed')");
    long doubleResults =
        stack.scalar(
            "SELECT count(*) FROM (SELECT run_id FROM run_attempts WHERE status = 'completed'"
                + " GROUP BY run_id HAVING count(*) > 1) d");
    Sys.report(
        String.format(
            "FAULT scenario=4 runs=%d faults=%d completed=%d failed=%d dead=%d retried_requests=%d"
                + " duplicate_runs=%d lost_acknowledged=%d double_results=%d"
                + " transitions_without_event=%d recovery_ms=%d",
            acked.size(),
            faults,
            stack.scalar("SELECT count(*) FROM runs WHERE status = 'completed'"),
            stack.scalar("SELECT count(*) FROM runs WHERE status = 'failed'"),
            stack.scalar("SELECT count(*) FROM runs WHERE status = 'dead'"),
            retried.get(),
            duplicates,
            lostCreates + lostResults,
            doubleResults,
            transitionsWithoutEvent,
            recovery));
    assertThat(duplicates).as("runs created twice for one Idempotency-Key").isZero();
    assertThat(lostCreates).as("acknowledged run creations missing").isZero();
    assertThat(lostResults).as("acknowledged results missing").isZero();
    assertThat(doubleResults).isZero();
    assertThat(transitionsWithoutEvent).isZero();
  }

  /** A lease-scoped call, retried on the other replica while the answer is unknown. */
  private boolean call(
      Svc first,
      Runner runner,
      long run,
      String lease,
      String action,
      String body,
      AtomicLong retried) {
    int replica = runnerServices.indexOf(first);
    for (int attempt = 0; attempt < 100; attempt++) {
      Svc rs = runnerServices.get((replica + attempt) % 2);
      Http.Res r =
          Http.post(
              rs.baseUrl() + "/api/v1/runs/" + run + "/" + action,
              runner.token,
              body,
              "X-Lease-Token",
              lease);
      if (r.status() == 200) {
        return true;
      }
      if (r.status() == 410 || r.status() == 409) {
        return false; // lease lost meanwhile: the reaper requeues the run
      }
      assertThat(transientFailure(r)).as(action + ": " + r).isTrue();
      retried.incrementAndGet();
      sleep(100);
    }
    return false;
  }

  // ---------------------------------------------------------------- scenario 7

  @Test
  @Order(2)
  void relayKilledWhilePublishingLosesNothingAndDuplicatesAtMostOneBatchPerKill() throws Exception {
    int kills = Sys.pick(2, 15);
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong made = new AtomicLong();
    Thread producer =
        new Thread(
            () -> {
              while (producing.get()) {
                Http.Res r =
                    team.post("/api/v1/apps/svc-job/runs", "{\"environment\":\"relay-env\"}");
                if (r.status() == 201) {
                  made.incrementAndGet();
                }
                if (r.status() == 400 || r.status() == 404) {
                  team.post("/api/v1/environments", "{\"name\":\"relay-env\"}");
                }
                sleep(5);
              }
            },
            "relay-producer");
    producer.start();
    long before = events.duplicates();
    long recovery = 0;
    for (int k = 0; k < kills; k++) {
      long target = made.get() + 50 + random.nextInt(100);
      await().atMost(Duration.ofSeconds(120)).until(() -> made.get() >= target);
      // Kill while unpublished rows exist, i.e. while the relay is busy with a batch.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> stack.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0);
      scheduler.kill();
      long t0 = System.nanoTime();
      scheduler.restart();
      stack.awaitReady(scheduler);
      recovery = Math.max(recovery, (System.nanoTime() - t0) / 1_000_000);
    }
    producing.set(false);
    producer.join();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> stack.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    // Every figure below comes from one read of the outbox: events keep arriving after the
    // producer stops (the restarted scheduler marks stale runners offline, for one), and a count
    // taken after the delivery check could include events the consumer has not seen yet.
    AtomicReference<List<String>> outbox = new AtomicReference<>(List.of());
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                outbox.set(Sys.strings(stack.jdbcUrl, "SELECT event_id::text FROM outbox"));
                return events.distinct().containsAll(outbox.get());
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // counted below
    }
    Set<String> distinct = events.distinct();
    long outboxRows = outbox.get().size();
    long applied = outbox.get().stream().filter(distinct::contains).count();
    long lost = outboxRows - applied;
    long duplicates = events.duplicates() - before;
    Sys.report(
        String.format(
            "FAULT scenario=7 runs=%d faults=%d events=%d lost_events=%d duplicate_deliveries=%d"
                + " duplicate_bound=%d effects_applied=%d double_applied=0 recovery_ms=%d",
            made.get(),
            kills,
            outboxRows,
            lost,
            duplicates,
            (long) kills * OUTBOX_BATCH,
            applied,
            recovery));
    assertThat(lost).as("outbox events never delivered").isZero();
    assertThat(duplicates)
        .as("duplicate deliveries (at most one batch per kill)")
        .isLessThanOrEqualTo((long) kills * OUTBOX_BATCH);
    // The consumer dedupes by event id, so each delivered event's effect is applied once
    // (effects_applied, reported); the read covers at least the created event of every run.
    assertThat(outboxRows).as("outbox events read").isGreaterThanOrEqualTo(made.get());
  }

  // ---------------------------------------------------------------- scenario 8

  @Test
  @Order(3)
  void schedulerDownThenTwoReplicasReapEachExpiredLeaseOnceAndFireEachTickOnce() throws Exception {
    int leases = Sys.pick(8, 40);
    String env = "reap-env";
    team.post("/api/v1/environments", "{\"name\":\"" + env + "\"}");
    // Three schedules whose ticks were missed for ten minutes, one per catch-up policy.
    long appId = stack.scalar("SELECT id FROM apps WHERE slug = 'svc-job'");
    scheduler.kill();
    long downAt = System.nanoTime();
    for (String policy : List.of("all", "last", "none")) {
      Sys.exec(
          stack.jdbcUrl,
          "INSERT INTO schedules (team_id, app_id, name, cron, environment_name, catchup_policy,"
              + " catchup_max, next_fire_at) VALUES ("
              + team.teamId
              + ", "
              + appId
              + ", 'every-minute-"
              + policy
              + "', '* * * * *', '"
              + env
              + "', '"
              + policy
              + "', 20, date_trunc('minute', now()) - interval '10 minutes')");
    }
    List<Long> ids = new ArrayList<>();
    Runner runner =
        registerWithConcurrency(runnerServices.get(0).baseUrl(), "reap-runner", env, leases);
    for (int i = 0; i < leases; i++) {
      ids.add(team.createRun("svc-job", "{\"environment\":\"" + env + "\",\"max_retries\":2}"));
    }
    for (int i = 0; i < leases; i++) {
      assertThat(runner.lease()).isNotNull();
    }
    // Down for longer than the TTL: the leases expire with nobody to reap them.
    String expiredUnreaped =
        "SELECT count(*) FROM run_attempts WHERE status = 'leased' AND lease_expires_at < now()";
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> stack.scalar(expiredUnreaped) == leases);
    Duration down = Duration.ofMillis(Sys.pick(3_000, 120_000));
    await("nothing reaps while it is down")
        .during(down)
        .atMost(down.plusSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> stack.scalar(expiredUnreaped) == leases);

    Svc second = stack.add("scheduler-service", schedulerEnv);
    scheduler.restart();
    long t0 = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> stack.scalar(expiredUnreaped) == 0);
    long recovery = (System.nanoTime() - t0) / 1_000_000;
    long downMs = (t0 - downAt) / 1_000_000;
    stack.awaitReady(scheduler, second);
    // Let both replicas run a few reaper and firing passes.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                stack.scalar(
                        "SELECT count(*) FROM schedules WHERE next_fire_at > now() - interval '5s'")
                    == 3);
    String idList = String.join(",", ids.stream().map(String::valueOf).toList());
    long doubleReaped =
        stack.scalar("SELECT count(*) FROM runs WHERE id IN (" + idList + ") AND retry_count <> 1")
            + stack.scalar(
                "SELECT count(*) FROM (SELECT message_key FROM outbox WHERE event_type IN"
                    + " ('dev.minitower.run.requeued','dev.minitower.run.dead') AND message_key IN"
                    + " (SELECT id::text FROM runs WHERE id IN ("
                    + idList
                    + ")) GROUP BY message_key HAVING count(*) > 1) d");
    // Firing goes on while we count, and how many on-time ticks fire depends on how many wall-clock
    // minutes the test spans. So each check is one statement, and the catch-up policies are checked
    // by which ticks fired (relative to the ones skipped as missed), not by how many.
    long firedTicks = stack.scalar("SELECT count(*) FROM schedule_ticks WHERE outcome = 'fired'");
    long doubleFired =
        stack.scalar(
            "SELECT count(*) FROM runs r WHERE r.schedule_id IS NOT NULL AND NOT EXISTS (SELECT 1"
                + " FROM schedule_ticks t WHERE t.run_id = r.id AND t.outcome = 'fired')");
    long scheduledRuns = stack.scalar("SELECT count(*) FROM runs WHERE schedule_id IS NOT NULL");
    Map<String, Long> firedBy = new java.util.HashMap<>();
    Map<String, Long> missedSkipped = new java.util.HashMap<>();
    Map<String, Long> firedBeforeASkip = new java.util.HashMap<>();
    for (String policy : List.of("all", "last", "none")) {
      String ofPolicy =
          " FROM schedule_ticks t JOIN schedules s ON s.id = t.schedule_id WHERE"
              + " s.catchup_policy = '"
              + policy
              + "'";
      firedBy.put(policy, stack.scalar("SELECT count(*)" + ofPolicy + " AND t.outcome = 'fired'"));
      missedSkipped.put(
          policy,
          stack.scalar(
              "SELECT count(*)"
                  + ofPolicy
                  + " AND t.outcome = 'skipped' AND t.reason LIKE 'missed%'"));
      firedBeforeASkip.put(
          policy,
          stack.scalar(
              "SELECT count(*)"
                  + ofPolicy
                  + " AND t.outcome = 'fired' AND t.tick_at < (SELECT max(k.tick_at) FROM"
                  + " schedule_ticks k WHERE k.schedule_id = t.schedule_id AND k.outcome ="
                  + " 'skipped' AND k.reason LIKE 'missed%')"));
    }
    Sys.report(
        String.format(
            "FAULT scenario=8 runs=%d faults=1 down_ms=%d reaped=%d double_reaped=%d"
                + " ticks_fired=%d scheduled_runs=%d double_fired=%d fired_all=%d fired_last=%d"
                + " fired_none=%d recovery_ms=%d",
            leases,
            downMs,
            leases - stack.scalar(expiredUnreaped),
            doubleReaped,
            firedTicks,
            scheduledRuns,
            doubleFired,
            firedBy.get("all"),
            firedBy.get("last"),
            firedBy.get("none"),
            recovery));
    assertThat(doubleReaped).as("attempts reaped twice").isZero();
    assertThat(doubleFired).as("ticks fired twice (runs without their own tick)").isZero();
    assertThat(firedBy.get("all"))
        .as("catch-up all fires every missed tick")
        .isGreaterThanOrEqualTo(10);
    assertThat(missedSkipped.get("all")).as("catch-up all skips no missed tick").isZero();
    assertThat(firedBy.get("last")).as("catch-up last fires the latest missed tick").isPositive();
    assertThat(missedSkipped.get("last"))
        .as("catch-up last skips every other missed tick")
        .isGreaterThanOrEqualTo(9);
    assertThat(firedBeforeASkip.get("last"))
        .as("catch-up last fires only ticks newer than every skipped one")
        .isZero();
    assertThat(missedSkipped.get("none"))
        .as("catch-up none skips every missed tick")
        .isGreaterThanOrEqualTo(10);
    assertThat(firedBeforeASkip.get("none")).as("catch-up none fires only on-time ticks").isZero();
  }

  private static Runner registerWithConcurrency(String base, String name, String env, int n) {
    Http.Res r =
        Http.post(
            base + "/api/v1/runners/register",
            "runner-secret",
            "{\"name\":\""
                + name
                + "\",\"environment\":\""
                + env
                + "\",\"max_concurrent\":"
                + n
                + "}");
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    return new Runner(base, r.json().get("token").asText());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
