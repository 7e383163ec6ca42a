package dev.minitower.api.stats;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.minitower.api.ApiFixtures;
import dev.minitower.api.RunFixtures;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stats endpoints against the real PostgreSQL: counts per bucket by status, durations, the
 * slowest apps, the run timeline, queue depth per environment; parameter validation; team scope.
 * Each test builds its own team, environment and apps; timestamps are set in SQL so durations and
 * buckets are exact.
 */
@QuarkusTest
class StatsApiTest {
  @Inject RunFixtures fixtures;
  @Inject AgroalDataSource dataSource;

  ApiFixtures.Team team;
  String env;

  @BeforeEach
  void ownTeamAndEnvironment() {
    team = ApiFixtures.signup("stats");
    env = ApiFixtures.slug("env");
    as(team.token()).body(Map.of("name", env)).post("/api/v1/environments").then().statusCode(201);
  }

  void app(String slug) throws Exception {
    as(team.token()).body(Map.of("slug", slug)).post("/api/v1/apps").then().statusCode(201);
    fixtures.version(team.id(), slug, null);
  }

  long run(String app) {
    return ApiFixtures.createRun(team.token(), app, Map.of("environment", env));
  }

  /** Leases the next run of the test's environment and finishes it with {@code status}. */
  long finish(RunnerRef runner, String status) throws Exception {
    RunFixtures.Lease lease = fixtures.lease(runner);
    fixtures.start(lease);
    fixtures.complete(lease, status, "completed".equals(status) ? 0 : 1, null);
    return lease.grant().runId();
  }

  /** Moves a run's timeline: queued {@code agoSeconds} ago, ran {@code seconds} right after. */
  void place(long runId, long agoSeconds, Long seconds) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE runs SET queued_at = now() - make_interval(secs => ?),"
                    + " started_at = CASE WHEN started_at IS NULL THEN NULL"
                    + " ELSE now() - make_interval(secs => ?) + interval '1 second' END,"
                    + " finished_at = CASE WHEN finished_at IS NULL THEN NULL"
                    + " ELSE now() - make_interval(secs => ?) + interval '1 second'"
                    + " + make_interval(secs => ?) END WHERE id = ?")) {
      ps.setLong(1, agoSeconds);
      ps.setLong(2, agoSeconds);
      ps.setLong(3, agoSeconds);
      ps.setLong(4, seconds == null ? 0 : seconds);
      ps.setLong(5, runId);
      ps.executeUpdate();
    }
  }

  @Test
  void teamStatsCountRunsPerHourByStatusWithEmptyHoursIncluded() throws Exception {
    app("app-a");
    RunnerRef runner = fixtures.runner(team.id(), env);
    run("app-a");
    run("app-a");
    run("app-a");
    run("app-a");
    long completed = finish(runner, "completed");
    long failed = finish(runner, "failed");
    long running = fixtures.lease(runner).grant().runId();
    place(completed, 3 * 3600 + 60, 30L);
    place(failed, 3 * 3600 + 120, 90L);
    place(running, 60, null);

    JsonPath stats =
        as(team.token())
            .get("/api/v1/runs/stats?bucket=hour")
            .then()
            .statusCode(200)
            .body("bucket", equalTo("hour"))
            .body("app", nullValue())
            .body("totals.total", equalTo(4))
            .body("totals.completed", equalTo(1))
            .body("totals.failed", equalTo(1))
            .body("totals.active", equalTo(1))
            .body("totals.queued", equalTo(1))
            .extract()
            .jsonPath();
    List<Map<String, Object>> buckets = stats.getList("buckets");
    assertThat(buckets).hasSizeBetween(24, 26);
    Instant first = Instant.parse((String) buckets.get(0).get("start"));
    assertThat(first).isEqualTo(first.truncatedTo(ChronoUnit.HOURS));
    Instant last = Instant.parse((String) buckets.get(buckets.size() - 1).get("start"));
    assertThat(last).isEqualTo(Instant.now().truncatedTo(ChronoUnit.HOURS));
    Instant threeHoursAgo = Instant.now().minusSeconds(3 * 3600 + 90).truncatedTo(ChronoUnit.HOURS);
    List<Map<String, Object>> withRuns = new ArrayList<>();
    for (Map<String, Object> b : buckets) {
      if (((Number) b.get("total")).intValue() > 0) {
        withRuns.add(b);
      }
    }
    Map<String, Object> old =
        buckets.stream()
            .filter(b -> Instant.parse((String) b.get("start")).equals(threeHoursAgo))
            .findFirst()
            .orElseThrow();
    assertThat(old).containsEntry("completed", 1).containsEntry("failed", 1);
    assertThat(old.get("success_rate")).isEqualTo(0.5f);
    assertThat(((Number) old.get("duration_p50_seconds")).doubleValue()).isEqualTo(60.0);
    assertThat(((Number) old.get("duration_p95_seconds")).doubleValue()).isEqualTo(87.0);
    assertThat(withRuns.stream().mapToInt(b -> ((Number) b.get("total")).intValue()).sum())
        .isEqualTo(4);
    assertThat(
            buckets.stream()
                .filter(b -> ((Number) b.get("total")).intValue() == 0)
                .allMatch(b -> b.get("success_rate") == null))
        .isTrue();
  }

  @Test
  void appStatsPerDayAndDurationsCoverOnlyThatApp() throws Exception {
    app("app-a");
    app("app-b");
    RunnerRef runner = fixtures.runner(team.id(), env);
    run("app-a");
    run("app-a");
    run("app-b");
    long ok = finish(runner, "completed");
    long bad = finish(runner, "failed");
    long other = finish(runner, "completed");
    place(ok, 2 * 86400, 10L);
    place(bad, 600, 20L);
    place(other, 600, 500L);

    as(team.token())
        .get(
            "/api/v1/apps/app-a/runs/stats?bucket=day&since="
                + Instant.now().minus(Duration.ofDays(7)))
        .then()
        .statusCode(200)
        .body("app", equalTo("app-a"))
        .body("bucket", equalTo("day"))
        .body("buckets", hasSize(8))
        .body("totals.total", equalTo(2))
        .body("totals.completed", equalTo(1))
        .body("totals.failed", equalTo(1))
        .body("totals.success_rate", equalTo(0.5f));
    as(team.token())
        .get("/api/v1/apps/app-a/runs/stats/durations")
        .then()
        .statusCode(200)
        .body("runs.run_id", contains((int) bad, (int) ok))
        .body("runs.status", contains("failed", "completed"))
        .body("runs.duration_seconds", contains(20.0f, 10.0f));
    as(team.token())
        .get("/api/v1/runs/stats/apps")
        .then()
        .statusCode(200)
        .body("apps.app", contains("app-b", "app-a"))
        .body("apps[0].duration_max_seconds", equalTo(500.0f))
        .body("apps[1].runs", equalTo(2))
        .body("apps[1].failed", equalTo(1));
  }

  @Test
  void timelineShowsEachAttemptsLeaseStartAndFinish() throws Exception {
    app("app-a");
    RunnerRef runner = fixtures.runner(team.id(), env);
    long runId =
        as(team.token())
            .body(Map.of("environment", env, "max_retries", 1, "retry_on_failure", true))
            .post("/api/v1/apps/app-a/runs")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("run_id");
    RunFixtures.Lease first = fixtures.lease(runner);
    fixtures.expire(first);

    as(team.token())
        .get("/api/v1/runs/" + runId + "/timeline")
        .then()
        .statusCode(200)
        .body("run_id", equalTo((int) runId))
        .body("queued_at", notNullValue())
        .body("attempts", hasSize(1))
        .body("attempts[0].attempt_no", equalTo(1))
        .body("attempts[0].status", equalTo("expired"))
        .body("attempts[0].runner_name", equalTo(fixtures.runnerName(runner.runnerId())))
        .body("attempts[0].leased_at", notNullValue())
        .body("attempts[0].started_at", nullValue())
        .body("attempts[0].finished_at", notNullValue());
  }

  @Test
  void environmentOverviewShowsQueueDepthAndServingRunnersToAdminsOnly() throws Exception {
    app("app-a");
    RunnerRef runner = fixtures.runner(team.id(), env);
    run("app-a");
    run("app-a");
    run("app-a");
    fixtures.lease(runner);
    String name = fixtures.runnerName(runner.runnerId());

    as(team.token())
        .get("/api/v1/environments/overview")
        .then()
        .statusCode(200)
        .body("environments.name", contains("default", env))
        .body("environments[1].queued_runs", equalTo(2))
        .body("environments[1].active_runs", equalTo(1))
        .body("environments[1].oldest_queued_at", notNullValue())
        .body("environments[1].runners_online", equalTo(1))
        .body("environments[1].runners.name", contains(name))
        .body("environments[0].queued_runs", equalTo(0))
        .body("environments[0].oldest_queued_at", nullValue());
    as(ApiFixtures.memberToken(team))
        .get("/api/v1/environments/overview")
        .then()
        .statusCode(200)
        .body("environments[1].runners_online", equalTo(1))
        .body("environments[1].runners", nullValue());
  }

  @Test
  void anotherTeamSeesNoneOfThisTeamsRuns() throws Exception {
    app("app-a");
    run("app-a");
    long runId = run("app-a");
    ApiFixtures.Team other = ApiFixtures.signup("stats-other");

    as(other.token())
        .get("/api/v1/runs/stats")
        .then()
        .statusCode(200)
        .body("totals.total", equalTo(0));
    as(other.token())
        .get("/api/v1/runs/stats/apps")
        .then()
        .statusCode(200)
        .body("apps", hasSize(0));
    as(other.token()).get("/api/v1/apps/app-a/runs/stats").then().statusCode(404);
    as(other.token()).get("/api/v1/apps/app-a/runs/stats/durations").then().statusCode(404);
    as(other.token()).get("/api/v1/runs/" + runId + "/timeline").then().statusCode(404);
    as(other.token())
        .get("/api/v1/environments/overview")
        .then()
        .body("environments.name", contains("default"))
        .body("environments[0].queued_runs", equalTo(0));
    as(team.token()).get("/api/v1/runs/stats").then().body("totals.total", equalTo(2));
  }

  @Test
  void badParametersAnswer400WithTheErrorEnvelope() {
    String tooOld = Instant.now().minus(Duration.ofDays(9)).toString();
    String future = Instant.now().plus(Duration.ofHours(1)).toString();
    Map<String, String> cases =
        Map.of(
            "/api/v1/runs/stats?bucket=minute",
            "bucket must be hour or day",
            "/api/v1/runs/stats?since=yesterday",
            "since must be an RFC 3339 timestamp",
            "/api/v1/runs/stats?bucket=hour&since=" + tooOld,
            "since must be within the last 8",
            "/api/v1/runs/stats?since=" + future,
            "since must not be in the future",
            "/api/v1/runs/stats/apps?limit=0",
            "limit must be an integer between 1 and 50",
            "/api/v1/runs/stats/apps?since=" + Instant.now().minus(Duration.ofDays(100)),
            "since must be within the last 92");
    cases.forEach(
        (path, message) ->
            as(team.token())
                .get(path)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_request"))
                .body("error.message", org.hamcrest.Matchers.startsWith(message)));
    as(team.token()).get("/api/v1/runs/stats?bucket=day&since=" + tooOld).then().statusCode(200);
    as(team.token()).get("/api/v1/runs/abc/timeline").then().statusCode(400);
    ApiFixtures.given().get("/api/v1/runs/stats").then().statusCode(401);
  }

  @Test
  void statsQueriesAreServedByTheStatsIndexes() throws Exception {
    app("app-a");
    app("app-b");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (var s = c.createStatement()) {
        // 20,000 runs over 90 days in two apps, so the planner sees a realistic team; rolled back.
        s.execute(
            "INSERT INTO runs (team_id, app_id, app_version_id, environment_id, environment_name,"
                + " run_no, status, queued_at, started_at, finished_at)"
                + " SELECT a.team_id, a.id, v.id, e.id, e.name, g,"
                + " 'completed', now() - g * interval '6 minutes 30 seconds',"
                + " now() - g * interval '6 minutes 30 seconds' + interval '1 second',"
                + " now() - g * interval '6 minutes 30 seconds' + interval '9 seconds'"
                + " FROM apps a JOIN app_versions v ON v.app_id = a.id"
                + " JOIN environments e ON e.team_id = a.team_id AND e.name = '"
                + env
                + "', generate_series(1, 10000) g WHERE a.team_id = "
                + team.id());
        s.execute("ANALYZE runs");
      }
      String team = "team_id = " + this.team.id();
      assertThat(
              plan(
                  c,
                  "SELECT app_id, status, started_at, finished_at FROM runs WHERE "
                      + team
                      + " AND queued_at >= now() - interval '1 day'"))
          .contains("runs_team_list_idx")
          .contains("Index Cond: ((team_id = " + this.team.id() + ") AND (queued_at >=");
      assertThat(
              plan(
                  c,
                  "SELECT status, started_at, finished_at FROM runs WHERE "
                      + team
                      + " AND app_id = (SELECT id FROM apps WHERE "
                      + team
                      + " AND slug = 'app-a') AND queued_at >= now() - interval '1 day'"))
          .contains("runs_app_stats_idx");
      c.rollback();
    }
  }

  private static String plan(Connection c, String sql) throws Exception {
    StringBuilder out = new StringBuilder();
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.append(rs.getString(1)).append('\n');
      }
    }
    return out.toString();
  }
}
