package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the runner side (docs/reliability.md scenarios 1, 2, 9): the packaged agent SIGKILLed
 * at chosen phases, frozen with SIGSTOP past its lease, and log batches replayed and reordered by a
 * retrying runner. One stack: api-service, runner-service and scheduler-service with a 5 s lease
 * TTL and a 1 s reaper, on a fresh database of the shared PostgreSQL and the shared Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentFaultIT {
  static final int TTL_S = 5;
  static final int REAPER_S = 1;

  /** Bound for "reaped": TTL + reaper interval + a margin for a loaded 2-core machine. */
  static final Duration REAP_BOUND = Duration.ofSeconds(TTL_S + REAPER_S + 10);

  static final String LIVE = "('leased','running','cancelling')";

  private Stack stack;
  private Svc runnerService;
  private Api team;
  private Events events;
  private final Random random = new Random(Long.getLong("minitower.seed", System.nanoTime()));

  @BeforeAll
  void start() throws Exception {
    stack = Stack.fresh("mt_agentfault");
    events = new Events(Sys.KAFKA);
    stack.track(events);
    Svc api = stack.add("api-service");
    runnerService = stack.add("runner-service");
    stack.add("scheduler-service");
    stack.awaitReady();
    team = Api.bootstrap(api.baseUrl(), "boot-secret", "faults", "fault-password");
    await().atMost(Duration.ofSeconds(60)).until(events::positioned);
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  // ---------------------------------------------------------------- scenario 1

  @Test
  @Order(1)
  void agentKilledAtRandomPhasesLeavesNoDoubleResultNoStuckRunAndNoStrayProcess() throws Exception {
    String marker = UUID.randomUUID().toString();
    team.deployShell(
        "killed-job",
        "#!/bin/sh\necho \"start $MINITOWER_RUN_ID a$MINITOWER_ATTEMPT\"\n"
            + "i=0\nwhile [ $i -lt ${STEPS:-8} ]; do echo \"step $i\"; i=$((i+1)); sleep 0.2; done\n"
            + "echo done\n");
    int faults = Sys.pick(4, 25);
    int runs = faults * 2 + 2;
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      ids.add(createKilledJob(marker));
    }
    var dataDir = Files.createTempDirectory("agent-killed");
    String name = "killed-agent";
    String[] phases = {"startup", "leased", "running", "logging", "result"};
    long stray = 0;
    long maxRecovery = 0;
    for (int f = 0; f < faults; f++) {
      if (stack.scalar("SELECT count(*) FROM runs WHERE status = 'queued'") < 2) {
        ids.add(createKilledJob(marker));
        ids.add(createKilledJob(marker));
      }
      String phase = phases[f % phases.length];
      AgentProc agent =
          stack.agent(new AgentProc(runnerService.baseUrl(), name, dataDir, Map.of()));
      agent.start();
      try {
        reachPhase(phase, name);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("phase " + phase + " not reached\n" + agent.logTail(), e);
      }
      agent.kill();
      long killedAt = System.nanoTime();
      stray += strayAfterKill(marker);
      try {
        await()
            .atMost(REAP_BOUND)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> liveAttemptsOf(name) == 0);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "attempts of the killed agent still live after "
                + REAP_BOUND
                + " (phase "
                + phase
                + ")",
            e);
      }
      maxRecovery = Math.max(maxRecovery, (System.nanoTime() - killedAt) / 1_000_000);
    }
    AgentProc last =
        stack.agent(new AgentProc(runnerService.baseUrl(), name, dataDir, Map.of()).start());
    await()
        .atMost(Duration.ofSeconds(Sys.pick(180, 600)))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> stack.scalar("SELECT count(*) FROM runs WHERE finished_at IS NULL") == 0);
    last.close();
    stray += strayAfterKill(marker);

    long doubleResults = doubleResults();
    long lost = lostEvents();
    Sys.report(
        String.format(
            "FAULT scenario=1 runs=%d faults=%d completed=%d failed=%d dead=%d double_results=%d"
                + " lost_events=%d stray_processes=%d recovery_ms=%d",
            ids.size(),
            faults,
            count("completed"),
            count("failed"),
            count("dead"),
            doubleResults,
            lost,
            stray,
            maxRecovery));
    assertThat(doubleResults).as("runs with two accepted results").isZero();
    assertThat(stray).as("workload processes that survived their agent").isZero();
    assertThat(lost).as("outbox events never seen on Kafka").isZero();
    assertThat(count("failed")).as("failed runs (the job never fails by itself)").isZero();
    assertThat(stack.scalar("SELECT count(*) FROM run_attempts WHERE status IN " + LIVE)).isZero();
  }

  private long createKilledJob(String marker) {
    return team.createRun(
        "killed-job",
        "{\"input\":{\"FAULT_MARKER\":\"" + marker + "\",\"STEPS\":8},\"max_retries\":3}");
  }

  /** Waits until the agent {@code name} is in {@code phase}. */
  private void reachPhase(String phase, String name) throws InterruptedException {
    Duration limit = Duration.ofSeconds(90);
    String attempts =
        "FROM run_attempts a JOIN runners r ON r.id = a.runner_id WHERE r.name = '" + name + "'";
    switch (phase) {
      case "startup" -> Thread.sleep(200 + random.nextInt(1500));
      case "leased" ->
          await()
              .atMost(limit)
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () ->
                      stack.scalar("SELECT count(*) " + attempts + " AND a.status IN " + LIVE) > 0);
      case "running" -> {
        await()
            .atMost(limit)
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    stack.scalar("SELECT count(*) " + attempts + " AND a.status = 'running'") > 0);
        Thread.sleep(random.nextInt(800));
      }
      case "logging" ->
          await()
              .atMost(limit)
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () ->
                      stack.scalar(
                              "SELECT count(*) FROM run_logs l JOIN run_attempts a ON a.id ="
                                  + " l.attempt_id JOIN runners r ON r.id = a.runner_id WHERE"
                                  + " r.name = '"
                                  + name
                                  + "' AND a.status IN "
                                  + LIVE)
                          > 0);
      case "result" -> {
        long before = stack.scalar("SELECT count(*) " + attempts + " AND a.status = 'completed'");
        await()
            .atMost(limit)
            .pollInterval(Duration.ofMillis(10))
            .until(
                () ->
                    stack.scalar("SELECT count(*) " + attempts + " AND a.status = 'completed'")
                        > before);
      }
      default -> throw new IllegalArgumentException(phase);
    }
  }

  private long liveAttemptsOf(String runner) {
    return stack.scalar(
        "SELECT count(*) FROM run_attempts a JOIN runners r ON r.id = a.runner_id WHERE r.name = '"
            + runner
            + "' AND a.status IN "
            + LIVE);
  }

  /** Workload processes of {@code marker} still alive 10 s after their agent died (then killed). */
  static long strayAfterKill(String marker) {
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> AgentProc.workloads(marker).isEmpty());
      return 0;
    } catch (ConditionTimeoutException e) {
      List<Long> left = AgentProc.workloads(marker);
      AgentProc.killWorkloads(marker);
      return left.size();
    }
  }

  private long count(String status) {
    return stack.scalar("SELECT count(*) FROM runs WHERE status = '" + status + "'");
  }

  /** Runs with more than one accepted result (attempt rows or terminal outbox events). */
  long doubleResults() {
    long attempts =
        stack.scalar(
            "SELECT count(*) FROM (SELECT run_id FROM run_attempts WHERE status IN"
                + " ('completed','failed','cancelled') GROUP BY run_id HAVING count(*) > 1) d");
    long events =
        stack.scalar(
            "SELECT count(*) FROM (SELECT message_key FROM outbox WHERE event_type IN"
                + " ('dev.minitower.run.completed','dev.minitower.run.failed',"
                + "'dev.minitower.run.cancelled','dev.minitower.run.dead')"
                + " GROUP BY message_key HAVING count(*) > 1) d");
    return attempts + events;
  }

  /** Outbox events not seen by the Kafka consumer once the relay has published everything. */
  long lostEvents() {
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> stack.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> missing(stack, events).isEmpty());
    } catch (ConditionTimeoutException e) {
      // counted below
    }
    return missing(stack, events).size();
  }

  static Set<String> missing(Stack stack, Events events) {
    Set<String> ids =
        new HashSet<>(Sys.strings(stack.jdbcUrl, "SELECT event_id::text FROM outbox"));
    ids.removeAll(events.distinct());
    return ids;
  }

  // ---------------------------------------------------------------- scenario 2

  @Test
  @Order(2)
  void agentFrozenPastItsLeaseWritesNothingStaleKillsItsWorkloadAndMovesOn() throws Exception {
    String marker = UUID.randomUUID().toString();
    // The first attempt runs long, any later one is quick. (The workload's sandbox lets it write
    // nothing outside its workspace, so no flag file can carry state between attempts.)
    team.deployShell(
        "frozen-job",
        "#!/bin/sh\necho \"attempt $MINITOWER_ATTEMPT\"\n"
            + "if [ \"$MINITOWER_ATTEMPT\" = 1 ]; then\n"
            + "  i=0\n  while [ $i -lt 900 ]; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done\n"
            + "fi\necho finished\n");
    int rounds = Sys.pick(1, 3);
    String name = "frozen-agent";
    AgentProc agent =
        stack.agent(
            new AgentProc(
                    runnerService.baseUrl(),
                    name,
                    Files.createTempDirectory("agent-frozen"),
                    Map.of("MINITOWER_RUNNER_CONCURRENCY", "1"))
                .start());
    long staleWrites = 0;
    long stray = 0;
    long maxRecovery = 0;
    List<Long> ids = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long run =
          team.createRun(
              "frozen-job", "{\"input\":{\"FAULT_MARKER\":\"" + marker + "\"},\"max_retries\":3}");
      ids.add(run);
      String ticks = "FROM run_logs WHERE run_id = " + run + " AND line LIKE 'tick %'";
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> stack.scalar("SELECT count(*) " + ticks) > 0);
      agent.stop();
      long frozenAt = System.nanoTime();
      long frozenAttempt = stack.scalar("SELECT max(attempt_no) " + ticks);
      String attempt =
          "SELECT %s FROM run_attempts WHERE run_id = "
              + run
              + " AND attempt_no = "
              + frozenAttempt;
      await()
          .atMost(REAP_BOUND)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  Sys.strings(stack.jdbcUrl, String.format(attempt, "status"))
                      .equals(List.of("expired")));
      String frozenLogs =
          "SELECT count(*) FROM run_logs WHERE run_id = "
              + run
              + " AND attempt_no = "
              + frozenAttempt;
      long logsAtExpiry = stack.scalar(frozenLogs);
      // Frozen for longer than the TTL (long profile: 3 TTLs past the expiry).
      Thread.sleep(Sys.pick(1, 3) * TTL_S * 1000L);
      agent.cont();
      stray += strayAfterKill(marker);
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    Sys.strings(stack.jdbcUrl, "SELECT status FROM runs WHERE id = " + run)
                        .equals(List.of("completed")));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("run not completed after the resume\n" + agent.logTail(), e);
      }
      maxRecovery = Math.max(maxRecovery, (System.nanoTime() - frozenAt) / 1_000_000);
      staleWrites += stack.scalar(frozenLogs) - logsAtExpiry;
      assertThat(Sys.strings(stack.jdbcUrl, String.format(attempt, "status")))
          .as("the frozen attempt stays expired")
          .containsExactly("expired");
      assertThat(
              Sys.strings(
                  stack.jdbcUrl,
                  "SELECT r.name FROM run_attempts a JOIN runners r ON r.id = a.runner_id"
                      + " WHERE a.status = 'completed' AND a.run_id = "
                      + run))
          .as("the resumed agent took the retry itself")
          .containsExactly(name);
    }
    long lost = lostEvents();
    Sys.report(
        String.format(
            "FAULT scenario=2 runs=%d faults=%d completed=%d failed=%d dead=%d stale_writes=%d"
                + " double_results=%d lost_events=%d stray_processes=%d recovery_ms=%d",
            ids.size(),
            rounds,
            countOf(ids, "completed"),
            countOf(ids, "failed"),
            countOf(ids, "dead"),
            staleWrites,
            doubleResults(),
            lost,
            stray,
            maxRecovery));
    assertThat(staleWrites).as("log lines accepted from the frozen attempt after expiry").isZero();
    assertThat(stray).as("workload still running after the agent resumed").isZero();
    assertThat(doubleResults()).isZero();
    assertThat(lost).isZero();
    agent.close();
  }

  private long countOf(List<Long> ids, String status) {
    return stack.scalar(
        "SELECT count(*) FROM runs WHERE status = '"
            + status
            + "' AND id IN ("
            + String.join(",", ids.stream().map(String::valueOf).toList())
            + ")");
  }

  // ---------------------------------------------------------------- scenario 3

  @Test
  @Order(4)
  void agentCutOffFromTheApiGetsNoStaleResultAcceptedAndItsRunIsRetried() throws Exception {
    String marker = UUID.randomUUID().toString();
    team.deployShell(
        "cut-job",
        "#!/bin/sh\necho \"attempt $MINITOWER_ATTEMPT\"\n"
            + "if [ \"$MINITOWER_ATTEMPT\" = 1 ]; then\n"
            + "  i=0\n  while [ $i -lt 600 ]; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done\n"
            + "fi\necho finished\n");
    int[] multiples = Sys.longProfile() ? new int[] {1, 2, 5} : new int[] {1, 2};
    String name = "cut-agent";
    long staleResults = 0;
    long staleLogs = 0;
    long stray = 0;
    long gappedPrefixes = 0;
    long maxRecovery = 0;
    List<Long> ids = new ArrayList<>();
    try (TcpProxy proxy = new TcpProxy(runnerService.port)) {
      AgentProc agent =
          stack.agent(
              new AgentProc(
                      proxy.url(),
                      name,
                      Files.createTempDirectory("agent-cut"),
                      Map.of("MINITOWER_RUNNER_CONCURRENCY", "1"))
                  .start());
      for (int m : multiples) {
        long run =
            team.createRun(
                "cut-job", "{\"input\":{\"FAULT_MARKER\":\"" + marker + "\"},\"max_retries\":3}");
        ids.add(run);
        String ticks = "FROM run_logs WHERE run_id = " + run + " AND line LIKE 'tick %'";
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> stack.scalar("SELECT count(*) " + ticks) > 0);
        long cutAttempt = stack.scalar("SELECT max(attempt_no) " + ticks);
        proxy.cut();
        long cutAt = System.nanoTime();
        String attempt =
            "SELECT status FROM run_attempts WHERE run_id = "
                + run
                + " AND attempt_no = "
                + cutAttempt;
        await()
            .atMost(REAP_BOUND)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Sys.strings(stack.jdbcUrl, attempt).equals(List.of("expired")));
        String attemptLogs =
            "FROM run_logs WHERE run_id = " + run + " AND attempt_no = " + cutAttempt;
        long logsAtExpiry = stack.scalar("SELECT count(*) " + attemptLogs);
        // Cut off for m TTLs in all; the agent fences itself and kills its job meanwhile.
        long left = m * TTL_S * 1000L - (System.nanoTime() - cutAt) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left);
        }
        stray += strayAfterKill(marker);
        proxy.restore();
        try {
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      Sys.strings(stack.jdbcUrl, "SELECT status FROM runs WHERE id = " + run)
                          .equals(List.of("completed")));
        } catch (ConditionTimeoutException e) {
          throw new AssertionError(
              "run not retried after the link came back\n" + agent.logTail(), e);
        }
        maxRecovery = Math.max(maxRecovery, (System.nanoTime() - cutAt) / 1_000_000);
        staleLogs += stack.scalar("SELECT count(*) " + attemptLogs) - logsAtExpiry;
        staleResults += Sys.strings(stack.jdbcUrl, attempt).equals(List.of("expired")) ? 0 : 1;
        // What was delivered of the lost attempt is a prefix: seq 1..n without holes.
        if (stack.scalar("SELECT coalesce(max(seq), 0) " + attemptLogs)
            != stack.scalar("SELECT count(*) " + attemptLogs)) {
          gappedPrefixes++;
        }
      }
      agent.close();
    }
    long lost = lostEvents();
    Sys.report(
        String.format(
            "FAULT scenario=3 runs=%d faults=%d cut_ttls=%s completed=%d failed=%d dead=%d"
                + " stale_results=%d stale_log_lines=%d gapped_log_prefixes=%d double_results=%d"
                + " lost_events=%d stray_processes=%d recovery_ms=%d",
            ids.size(),
            multiples.length,
            java.util.Arrays.toString(multiples).replace(" ", ""),
            countOf(ids, "completed"),
            countOf(ids, "failed"),
            countOf(ids, "dead"),
            staleResults,
            staleLogs,
            gappedPrefixes,
            doubleResults(),
            lost,
            stray,
            maxRecovery));
    assertThat(staleResults).as("results accepted from a cut-off attempt").isZero();
    assertThat(staleLogs).as("log lines accepted from a cut-off attempt after its expiry").isZero();
    assertThat(gappedPrefixes).as("lost attempts whose delivered logs have holes").isZero();
    assertThat(stray).as("workloads still running while their agent was cut off").isZero();
    assertThat(doubleResults()).isZero();
    assertThat(lost).isZero();
  }

  // ---------------------------------------------------------------- scenario 1 (variant)

  /**
   * An agent that dies (or shuts down) while its long-poll lease request waits: the server must not
   * hand a run to that closed connection, or the run sits leased to nobody for a whole TTL and uses
   * up a retry (with the default max_retries 0 it goes dead without ever running). Every other
   * round the client is gone before the server has handled its request at all (as on a loaded
   * machine, where a request can wait longer than its client lives): the server learns of the close
   * before its long poll begins.
   */
  @Test
  @Order(6)
  void aLongPollWhoseClientIsGoneLeasesNothing() throws Exception {
    Http.Res env = team.post("/api/v1/environments", "{\"name\":\"poll-env\"}");
    assertThat(env.status()).as(env.toString()).isIn(200, 201);
    if (team.get("/api/v1/apps/poll-job").status() == 404) {
      team.deployShell("poll-job", "#!/bin/sh\necho hi\n");
    }
    Runner runner = Runner.register(runnerService.baseUrl(), "poll-runner", "poll-env");
    int rounds = Sys.pick(4, 10);
    long leasedToNobody = 0;
    for (int i = 0; i < rounds; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", runnerService.port)) {
        s.getOutputStream()
            .write(
                ("POST /api/v1/runs/lease?wait=20s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer "
                        + runner.token
                        + "\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        if (i % 2 == 0) {
          Thread.sleep(1000); // the request is now waiting for work
        }
      } // the client is gone (as when its agent is SIGKILLed or stops)
      Thread.sleep(500);
      long run = team.createRun("poll-job", "{\"environment\":\"poll-env\"}");
      // Give a (wrong) server ample time to hand the run to the dead request.
      Thread.sleep(2000);
      long attempts = stack.scalar("SELECT count(*) FROM run_attempts WHERE run_id = " + run);
      leasedToNobody += attempts;
      // Clean up: take the run by a live request (or let the reaper have it) so rounds are apart.
      Runner.Lease l = runner.lease();
      if (l != null) {
        runner.call(l, "result", "{\"status\":\"completed\"}");
      }
      await()
          .atMost(REAP_BOUND.plusSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Runner.Lease again = runner.lease();
                if (again != null) {
                  runner.call(again, "result", "{\"status\":\"completed\"}");
                }
                return stack.scalar(
                        "SELECT count(*) FROM runs WHERE finished_at IS NULL"
                            + " AND environment_name = 'poll-env'")
                    == 0;
              });
    }
    Sys.report(
        String.format(
            "FAULT scenario=1b runs=%d faults=%d leased_to_closed_connections=%d",
            rounds, rounds, leasedToNobody));
    assertThat(leasedToNobody)
        .as("runs leased to a long-poll request whose client had closed the connection")
        .isZero();
  }

  // ---------------------------------------------------------------- scenario 9

  @Test
  @Order(5)
  void replayedAndReorderedLogBatchesGiveNoDuplicateAndNoGap() throws Exception {
    Http.Res env = team.post("/api/v1/environments", "{\"name\":\"replay-env\"}");
    assertThat(env.status()).as(env.toString()).isIn(200, 201);
    team.deployShell("replay-job", "#!/bin/sh\necho hi\n");
    int lines = Sys.pick(3000, 50000);
    int batchSize = 50;
    long run = team.createRun("replay-job", "{\"environment\":\"replay-env\"}");
    Runner runner = Runner.register(runnerService.baseUrl(), "replay-runner", "replay-env");
    Runner.Lease lease = runner.lease();
    assertThat(lease).isNotNull();
    assertThat(lease.runId()).isEqualTo(run);
    assertThat(runner.call(lease, "start", null).status()).isEqualTo(200);

    List<long[]> batches = new ArrayList<>();
    for (long from = 1; from <= lines; from += batchSize) {
      batches.add(new long[] {from, Math.min(lines, from + batchSize - 1)});
      // overlapping retries: a batch that straddles its neighbours
      if (from + batchSize / 2 + batchSize - 1 <= lines && random.nextInt(4) == 0) {
        batches.add(new long[] {from + batchSize / 2, from + batchSize / 2 + batchSize - 1});
      }
    }
    List<long[]> sends = new ArrayList<>(batches);
    for (long[] b : batches) {
      if (random.nextInt(3) == 0) {
        sends.add(b); // replayed
      }
    }
    Collections.shuffle(sends, random);
    int faults = sends.size() - lines / batchSize;
    // Only a heartbeat renews a lease (log batches do not): besides the random ones among the
    // batches, one whenever a second has passed since the last, as a real runner keeps its lease
    // (the 5 s TTL would otherwise bound how slowly a loaded machine may send the whole run).
    long renewedAt = System.nanoTime();
    for (long[] b : sends) {
      if (random.nextInt(20) == 0 || System.nanoTime() - renewedAt > 1_000_000_000L) {
        assertThat(runner.call(lease, "heartbeat", null).status()).isEqualTo(200);
        renewedAt = System.nanoTime();
      }
      Http.Res r = runner.call(lease, "logs", Runner.batch(b[0], b[1], "line "));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
    if (System.nanoTime() - renewedAt > 1_000_000_000L) {
      assertThat(runner.call(lease, "heartbeat", null).status()).isEqualTo(200);
    }
    assertThat(runner.call(lease, "result", "{\"status\":\"completed\",\"exit_code\":0}").status())
        .isEqualTo(200);

    Map<Long, Integer> seen = new HashMap<>();
    long total = 0;
    int afterAttempt = 0;
    long afterSeq = 0;
    boolean wrongText = false;
    while (true) {
      Http.Res page =
          team.get(
              "/api/v1/runs/"
                  + run
                  + "/logs?after_attempt="
                  + afterAttempt
                  + "&after_seq="
                  + afterSeq);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      JsonNode j = page.json();
      for (JsonNode l : j.get("logs")) {
        long seq = l.get("seq").asLong();
        seen.merge(seq, 1, Integer::sum);
        wrongText |= !l.get("line").asText().equals("line " + seq);
        total++;
      }
      if (!j.path("has_more").asBoolean(false) || j.get("logs").isEmpty()) {
        break;
      }
      afterAttempt = j.get("next_after_attempt").asInt();
      afterSeq = j.get("next_after_seq").asLong();
    }
    long duplicates = total - seen.size();
    long gaps = 0;
    for (long s = 1; s <= lines; s++) {
      if (!seen.containsKey(s)) {
        gaps++;
      }
    }
    Sys.report(
        String.format(
            "FAULT scenario=9 runs=1 faults=%d batches_sent=%d lines=%d read=%d duplicate_lines=%d"
                + " gaps=%d wrong_text=%d",
            faults, sends.size(), lines, total, duplicates, gaps, wrongText ? 1 : 0));
    assertThat(duplicates).as("duplicate lines").isZero();
    assertThat(gaps).as("missing lines").isZero();
    assertThat(wrongText).as("a line differs from what was sent first").isFalse();
    assertThat(stack.scalar("SELECT count(*) FROM run_logs WHERE run_id = " + run))
        .isEqualTo(lines);
  }
}
