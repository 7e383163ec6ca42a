package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.api.service.RunCreates;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.runs.RunRecords.CreateOutcome;
import dev.minitower.store.runs.RunRecords.NewRun;
import dev.minitower.testsupport.Management;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Run creation's group commit ({@link RunCreates}) through the real service and PostgreSQL: creates
 * sent at once share transactions, and each is answered exactly as alone.
 */
@QuarkusTest
class RunCreateGroupCommitTest {
  @TestHTTPResource(value = "/", management = true)
  URL management;

  @Inject RunFixtures fixtures;
  @Inject RunCreates creates;
  @Inject AgroalDataSource dataSource;

  private final ExecutorService pool = Executors.newFixedThreadPool(16);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private String app(ApiFixtures.Team team) throws Exception {
    String slug = ApiFixtures.createApp(team, "gc");
    fixtures.version(team.id(), slug, null);
    return slug;
  }

  /** Count and sum of {@code minitower_runs_create_batch_runs}: transactions, creates. */
  private double[] batches() {
    String text = Management.scrape(management);
    return new double[] {
      sample(text, "minitower_runs_create_batch_runs_count"),
      sample(text, "minitower_runs_create_batch_runs_sum")
    };
  }

  private static double sample(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private List<Long> longs(String sql, Object... params) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }

  @Test
  void createsSentAtOnceShareTransactionsAndEachIsAnsweredAsAlone() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("gc");
    String a = app(team);
    String b = app(team);
    double[] before = batches();
    int threads = 12;
    int perThread = 15;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Response>>> sent = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      sent.add(
          pool.submit(
              () -> {
                go.await();
                List<Response> answers = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  if (thread < 2) {
                    // two threads repeat one idempotent request: one run, every answer names it
                    answers.add(
                        as(team.token())
                            .header("Idempotency-Key", "same-key")
                            .body(Map.of("input", Map.of("k", 1)))
                            .post("/api/v1/apps/" + a + "/runs"));
                  } else {
                    String app = (thread + i) % 2 == 0 ? a : b;
                    answers.add(
                        as(team.token())
                            .body(Map.of("input", Map.of("t", thread, "i", i)))
                            .post("/api/v1/apps/" + app + "/runs"));
                  }
                }
                return answers;
              }));
    }
    go.countDown();

    Set<Long> keyedRunIds = new HashSet<>();
    int keyedCreated = 0;
    Map<Long, Response> plain = new ConcurrentHashMap<>();
    for (int t = 0; t < threads; t++) {
      List<Response> answers = sent.get(t).get(120, TimeUnit.SECONDS);
      for (int i = 0; i < answers.size(); i++) {
        Response r = answers.get(i);
        long runId = r.jsonPath().getLong("run_id");
        if (t < 2) {
          assertThat(r.statusCode()).isIn(200, 201);
          keyedCreated += r.statusCode() == 201 ? 1 : 0;
          keyedRunIds.add(runId);
        } else {
          assertThat(r.statusCode()).isEqualTo(201);
          // the answer is this request's run, not another's of the same group
          assertThat(r.jsonPath().getMap("input")).isEqualTo(Map.of("t", t, "i", i));
          assertThat(plain.put(runId, r)).isNull();
        }
      }
    }
    assertThat(keyedRunIds).hasSize(1);
    assertThat(keyedCreated).isEqualTo(1);
    assertThat(plain).hasSize((threads - 2) * perThread);

    // every answer is the run as it is stored, with its own input
    for (Response r : plain.values()) {
      long runId = r.jsonPath().getLong("run_id");
      Response stored = as(team.token()).get("/api/v1/runs/" + runId);
      assertThat(stored.statusCode()).isEqualTo(200);
      assertThat(stored.jsonPath().getLong("run_no")).isEqualTo(r.jsonPath().getLong("run_no"));
      assertThat(stored.jsonPath().getMap("input")).isEqualTo(r.jsonPath().getMap("input"));
    }
    // app b had only plain creates: its numbers are exactly 1..n, each once
    List<Long> numbersOfB =
        longs(
            "SELECT r.run_no FROM runs r JOIN apps ap ON ap.id = r.app_id"
                + " WHERE ap.team_id = ? AND ap.slug = ? ORDER BY r.run_no",
            team.id(),
            b);
    List<Long> expected = new ArrayList<>();
    for (long n = 1; n <= numbersOfB.size(); n++) {
      expected.add(n);
    }
    assertThat(numbersOfB).isEqualTo(expected);
    // and one created event per run
    assertThat(
            longs(
                "SELECT count(*) FROM outbox WHERE event_type = 'dev.minitower.run.created'"
                    + " AND message_key::bigint IN (SELECT r.id FROM runs r JOIN apps ap"
                    + " ON ap.id = r.app_id WHERE ap.team_id = ?)",
                team.id()))
        .containsExactly((long) plain.size() + 1);

    double[] after = batches();
    double transactions = after[0] - before[0];
    double creates = after[1] - before[1];
    assertThat(creates).isEqualTo(threads * perThread);
    assertThat(transactions).as("creates shared transactions").isLessThan(creates);
  }

  private long id(String sql, Object... params) throws Exception {
    return longs(sql, params).get(0);
  }

  private static NewRun plainRun(long teamId, long appId, long versionId, long envId) {
    return new NewRun(
        teamId, appId, versionId, envId, "default", null, 0, 0, false, null, null, null);
  }

  @Test
  void aCreateThatFailsInItsStatementFailsAloneWhateverItsBatch() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("gcf");
    String a = app(team);
    long appId = id("SELECT id FROM apps WHERE team_id = ? AND slug = ?", team.id(), a);
    long versionId = id("SELECT id FROM app_versions WHERE app_id = ?", appId);
    as(team.token()).body(Map.of()).post("/api/v1/apps/" + a + "/runs").then().statusCode(201);
    long envId =
        id("SELECT id FROM environments WHERE team_id = ? AND name = 'default'", team.id());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> sent = new ArrayList<>();
    int total = 96;
    for (int i = 0; i < total; i++) {
      boolean bad = i % 8 == 3; // a version that does not exist: its insert fails
      NewRun run = plainRun(team.id(), appId, bad ? Long.MAX_VALUE : versionId, envId);
      sent.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  CreateOutcome out = creates.create(run);
                  return out.orThrow();
                } catch (RuntimeException e) {
                  return e;
                }
              }));
    }
    go.countDown();

    int good = 0;
    for (int i = 0; i < total; i++) {
      Object answer = sent.get(i).get(120, TimeUnit.SECONDS);
      if (i % 8 == 3) {
        assertThat(answer).isInstanceOf(StoreException.class);
      } else {
        assertThat(answer).isNotInstanceOf(Throwable.class);
        good++;
      }
    }
    assertThat(longs("SELECT count(*) FROM runs WHERE app_id = ?", appId))
        .containsExactly((long) good + 1);
    assertThatThrownBy(
            () -> creates.create(plainRun(team.id(), appId, Long.MAX_VALUE, envId)).orThrow())
        .isInstanceOf(StoreException.class);
  }
}
