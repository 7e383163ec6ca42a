package dev.minitower.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eight runners leasing through two runner-service replicas that share one database: 5,000 runs,
 * each leased, started and completed exactly once, none left active. Half the runners speak the
 * original protocol (lease, start, result), half this repo's (batch lease of up to 4 with the fused
 * start, result), against the same queue at the same time.
 */
class TwoReplicaLeaseRaceIT {
  private static final int RUNS = 5000;
  private static final int LEASERS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private String jdbcUrl;
  private final List<ServiceProcess> replicas = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ServiceProcess p : replicas) {
      p.close();
    }
    if (jdbcUrl != null) {
      TestStack.dropDatabase(jdbcUrl);
    }
  }

  @Test
  void eightLeasersOnTwoReplicasLeaseEveryRunExactlyOnce() throws Exception {
    jdbcUrl = TestStack.createDatabase("mt_race");
    for (int i = 0; i < 2; i++) {
      replicas.add(ServiceProcess.start("runner-service", jdbcUrl, Map.of()));
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> replicas.stream().allMatch(p -> p.managementStatus("/ready") == 200));
    String env = "race-" + UUID.randomUUID().toString().substring(0, 8);
    seed(env);

    ConcurrentHashMap<Long, AtomicInteger> leases = new ConcurrentHashMap<>();
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(LEASERS);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < LEASERS; w++) {
      ServiceProcess replica = replicas.get(w % 2);
      String token = register(replica, "racer-" + w + "-" + env, env);
      boolean batch = w % 2 == 1;
      workers.add(pool.submit(() -> drain(replica, token, leases, conflicts, batch)));
    }
    int completed = 0;
    for (Future<Integer> f : workers) {
      completed += f.get();
    }
    pool.shutdown();

    assertThat(completed).isEqualTo(RUNS);
    assertThat(leases).hasSize(RUNS);
    assertThat(leases.values()).allMatch(n -> n.get() == 1);
    assertThat(conflicts.get()).as("409/410 answers on own leases").isZero();
    try (Connection c = TestStack.connect(jdbcUrl);
        Statement s = c.createStatement()) {
      assertThat(scalar(s, "SELECT count(*) FROM runs WHERE status = 'completed'")).isEqualTo(RUNS);
      assertThat(scalar(s, "SELECT count(*) FROM run_attempts")).isEqualTo(RUNS);
      assertThat(
              scalar(
                  s,
                  "SELECT count(*) FROM run_attempts WHERE status IN ('leased','running','cancelling')"))
          .isZero();
      assertThat(
              scalar(
                  s,
                  "SELECT count(*) FROM (SELECT run_id FROM run_attempts GROUP BY run_id"
                      + " HAVING count(*) > 1) d"))
          .isZero();
      assertThat(
              scalar(
                  s,
                  "SELECT count(*) FROM outbox WHERE event_type IN"
                      + " ('dev.minitower.run.leased','dev.minitower.run.completed')"))
          .isEqualTo(2L * RUNS);
    }
  }

  private int drain(
      ServiceProcess replica,
      String token,
      ConcurrentHashMap<Long, AtomicInteger> leases,
      AtomicInteger conflicts,
      boolean batch)
      throws Exception {
    int done = 0;
    int emptyInARow = 0;
    while (emptyInARow < 3) {
      HttpResponse<String> lease =
          batch
              ? post(replica, "/api/v1/runners/lease", token, null, "{\"max\":4,\"start\":true}")
              : post(replica, "/api/v1/runs/lease", token, null, null);
      if (lease.statusCode() == 204) {
        emptyInARow++;
        continue;
      }
      assertThat(lease.statusCode()).as(lease.body()).isEqualTo(200);
      emptyInARow = 0;
      JsonNode answer = JSON.readTree(lease.body());
      List<JsonNode> granted = new ArrayList<>();
      if (batch) {
        answer.get("leases").forEach(granted::add);
        assertThat(granted).isNotEmpty().hasSizeLessThanOrEqualTo(4);
      } else {
        granted.add(answer);
      }
      for (JsonNode body : granted) {
        if (complete(replica, token, body, leases, batch)) {
          conflicts.incrementAndGet();
        }
        done++;
      }
    }
    return done;
  }

  /** Starts (unless the batch lease did) and completes one lease; true on a 409/410. */
  private boolean complete(
      ServiceProcess replica,
      String token,
      JsonNode body,
      ConcurrentHashMap<Long, AtomicInteger> leases,
      boolean started)
      throws Exception {
    long runId = body.get("run_id").asLong();
    String leaseToken = body.get("lease_token").asText();
    leases.computeIfAbsent(runId, k -> new AtomicInteger()).incrementAndGet();
    int start =
        started
            ? 200
            : post(replica, "/api/v1/runs/" + runId + "/start", token, leaseToken, null)
                .statusCode();
    int result =
        post(
                replica,
                "/api/v1/runs/" + runId + "/result",
                token,
                leaseToken,
                "{\"status\":\"completed\",\"exit_code\":0}")
            .statusCode();
    return start != 200 || result != 200;
  }

  private void seed(String env) throws Exception {
    try (Connection c = TestStack.connect(jdbcUrl)) {
      long team = id(c, "INSERT INTO teams (slug, name) VALUES ('race-team', 'Race') RETURNING id");
      long envId =
          id(
              c,
              "INSERT INTO environments (team_id, name) VALUES ("
                  + team
                  + ", '"
                  + env
                  + "') RETURNING id");
      long app =
          id(c, "INSERT INTO apps (team_id, slug) VALUES (" + team + ", 'race-app') RETURNING id");
      String sha = "a".repeat(64);
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO artifacts (sha256, size_bytes, chunk_count) VALUES ('" + sha + "', 0, 0)");
      }
      long version =
          id(
              c,
              "INSERT INTO app_versions (app_id, version_no, artifact_sha256, artifact_size,"
                  + " entrypoint, towerfile_toml) VALUES ("
                  + app
                  + ", 1, '"
                  + sha
                  + "', 0, 'main.py', '') RETURNING id");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO runs (team_id, app_id, app_version_id, environment_id, environment_name,"
                  + " run_no, priority) SELECT ?, ?, ?, ?, ?, g, g % 5 FROM generate_series(1, ?) g")) {
        ps.setLong(1, team);
        ps.setLong(2, app);
        ps.setLong(3, version);
        ps.setLong(4, envId);
        ps.setString(5, env);
        ps.setInt(6, RUNS);
        ps.executeUpdate();
      }
    }
  }

  private static String register(ServiceProcess replica, String name, String env) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/v1/runners/register"))
                .header("Authorization", "Bearer runner-secret")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\""
                            + name
                            + "\",\"environment\":\""
                            + env
                            + "\",\"max_concurrent\":4}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("token").asText();
  }

  private static HttpResponse<String> post(
      ServiceProcess replica, String path, String token, String leaseToken, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (leaseToken != null) {
      b.header("X-Lease-Token", leaseToken);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long id(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long scalar(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
