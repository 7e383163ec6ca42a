package dev.minitower.model.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.model.wire.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client API as the original web UI and CLI read and write it, pinned by golden files under
 * {@code src/test/resources/golden/api}: each record must encode to exactly these bytes (field
 * names, order, omitted nulls) and decode from them to an equal record. Request bodies are decoded
 * with the server's strict reader ({@link StrictJson}), responses as a client would.
 *
 * <p>A deliberate change of the contract: run with {@code -Dgolden.update=true} to rewrite the
 * files, then review the diff like any code change.
 */
class ClientApiGoldenTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final ObjectMapper STRICT = StrictJson.newMapper();
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final String T1 = "2026-01-02T03:04:05Z";
  private static final String T2 = "2026-01-02T03:04:09Z";
  private static final String T3 = "2026-01-02T03:05:00Z";
  private static final String TEAM_TOKEN = "mtk_Xq3v9kL0aZbYcW2dE4fG6hJ8iK1mN3oP5qR7sT9uV0w";
  private static final String SHA =
      "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

  private static String golden(String name) throws IOException {
    if (UPDATE) {
      return Files.readString(Path.of("src/test/resources/golden/api", name)).strip();
    }
    try (InputStream in = ClientApiGoldenTest.class.getResourceAsStream("/golden/api/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  private static void update(Object record, String file) throws IOException {
    Path dir = Path.of("src/test/resources/golden/api");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), JSON.writeValueAsString(record) + "\n");
  }

  /** A response body: encodes to the file, and the file decodes to an equal record. */
  private static void response(Object record, String file) throws IOException {
    if (UPDATE) {
      update(record, file);
    }
    String expected = golden(file);
    assertThat(JSON.writeValueAsString(record)).as(file).isEqualTo(expected);
    assertThat(JSON.readValue(expected, record.getClass())).as(file).isEqualTo(record);
  }

  /** A request body: as a response, but decoded by the server's strict reader. */
  private static void request(Object record, String file) throws IOException {
    if (UPDATE) {
      update(record, file);
    }
    String expected = golden(file);
    assertThat(JSON.writeValueAsString(record)).as(file).isEqualTo(expected);
    assertThat(
            StrictJson.read(
                STRICT,
                expected.getBytes(StandardCharsets.UTF_8),
                record.getClass(),
                StrictJson.Text.CHECKED))
        .as(file)
        .isEqualTo(record);
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  // --- requests -----------------------------------------------------------------------------

  @Test
  void teamRequests() throws IOException {
    request(new Requests.Signup("acme", "Acme Inc", "s3cret"), "signup-request.json");
    request(new Requests.Login("acme", "s3cret"), "login-request.json");
    request(new Requests.Bootstrap("acme", "Acme Inc", "s3cret"), "bootstrap-request.json");
  }

  @Test
  void tokenRequests() throws IOException {
    request(new Requests.CreateToken("ci", "member", 3600L, null), "create-token-request.json");
    request(
        new Requests.CreateRunnerToken("pool-a", null, "2026-02-01T00:00:00Z"),
        "create-runner-token-request.json");
  }

  @Test
  void appAndRunRequests() throws IOException {
    request(new Requests.CreateEnvironment("staging"), "create-environment-request.json");
    request(new Requests.CreateApp("hello-python", "says hello"), "create-app-request.json");
    request(
        new Requests.CreateRun(json("{\"count\":2,\"name\":\"Ada\"}"), 3L, 5L, 1L, "staging", true),
        "create-run-request.json");
  }

  @Test
  void scheduleAndSecretRequests() throws IOException {
    request(
        new ScheduleRequest(
            "nightly",
            "0 2 * * *",
            "Europe/Berlin",
            "default",
            2,
            json("{\"full\":true}"),
            1,
            2,
            true,
            "skip",
            "latest",
            3),
        "schedule-request.json");
    request(new SecretViews.PutSecret("hunter2", "staging"), "put-secret-request.json");
  }

  // --- teams, tokens, environments ----------------------------------------------------------

  @Test
  void teamResponses() throws IOException {
    response(new Views.AuthOptions(true, false), "auth-options.json");
    response(new Views.TeamCreated(1, "acme", TEAM_TOKEN, "admin"), "team-created.json");
    response(new Views.LoginResult(1, TEAM_TOKEN, 4, "admin"), "login-result.json");
    response(new Views.Me(1, "acme", 4, "member"), "me.json");
  }

  @Test
  void tokenResponses() throws IOException {
    response(new Views.TokenCreated(5, TEAM_TOKEN, "ci", "member", T3), "token-created.json");
    response(
        new Views.TokenCreated(6, TEAM_TOKEN, null, "member", null), "token-created-minimal.json");
    response(
        new Views.TokenList(
            List.of(
                new Views.TokenInfo(5, "ci", "member", T1, T2, T3, null),
                new Views.TokenInfo(6, null, "admin", T1, null, null, T2))),
        "token-list.json");
    response(
        new Views.RunnerTokenCreated(
            2, "mtr_Xq3v9kL0aZbYcW2dE4fG6hJ8iK1mN3oP5qR7sT9uV0w", "pool-a", null),
        "runner-token-created.json");
    response(
        new Views.RunnerTokenList(List.of(new Views.RunnerTokenInfo(2, "pool-a", T1, T3, null))),
        "runner-token-list.json");
  }

  @Test
  void environmentResponses() throws IOException {
    response(
        new Views.EnvironmentList(
            List.of(
                new Views.EnvironmentView(1, "default", true, T1),
                new Views.EnvironmentView(2, "staging", false, T2))),
        "environment-list.json");
  }

  // --- apps, versions, runs -----------------------------------------------------------------

  @Test
  void appResponses() throws IOException {
    Views.AppView app = new Views.AppView(3, "hello-python", "says hello", false, T1, T1);
    response(app, "app.json");
    response(
        new Views.AppList(
            List.of(app, new Views.AppView(4, "no-description", null, false, T2, T2))),
        "app-list.json");
  }

  @Test
  void versionResponses() throws IOException {
    Views.VersionView full =
        new Views.VersionView(
            8,
            2,
            "./main.py",
            60,
            json(
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                    + "\"required\":[\"name\"]}"),
            SHA,
            "[app]\nname = \"hello-python\"\nscript = \"./main.py\"\n",
            List.of("./lib"),
            T1);
    response(full, "version.json");
    response(
        new Views.VersionList(
            List.of(full, new Views.VersionView(7, 1, "run.sh", null, null, SHA, null, null, T1))),
        "version-list.json");
  }

  @Test
  void runResponses() throws IOException {
    Views.RunView queued =
        new Views.RunView(
            42, 3, null, 1, 2, "queued", null, 0, 0, 0, false, T1, null, null, "default", false);
    response(queued, "run-created.json");
    Views.RunView finished =
        new Views.RunView(
            43,
            3,
            "hello-python",
            2,
            2,
            "completed",
            json("{\"count\":2,\"name\":\"Ada\"}"),
            5,
            1,
            1,
            false,
            T1,
            T2,
            T3,
            "staging",
            true);
    response(finished, "run.json");
    response(new Views.RunList(List.of(finished)), "run-list.json");
    response(new Views.RunSummary(10, 2, 3, 5), "run-summary.json");
  }

  @Test
  void logAndAttemptResponses() throws IOException {
    response(
        new Views.LogPage(
            List.of(
                new Views.LogView(1, 1, "stdout", "hello", T1),
                new Views.LogView(1, 2, "stderr", "pip install", T2)),
            1,
            2,
            false),
        "log-page.json");
    response(
        new Views.AttemptList(
            List.of(
                new Views.AttemptView(
                    1, "expired", "runner-1", null, null, T1, T2, List.of("API_KEY")),
                new Views.AttemptView(2, "failed", "runner-2", 3, "boom", T2, T3, List.of()))),
        "attempt-list.json");
    response(
        new Views.RunnerList(
            List.of(
                new Views.RunnerView(5, "runner-1", "default", "online", T1, "global"),
                new Views.RunnerView(6, "runner-2", "staging", "offline", null, "team"))),
        "runner-list.json");
  }

  // --- schedules, secrets, stats ------------------------------------------------------------

  @Test
  void scheduleResponses() throws IOException {
    ScheduleView schedule =
        new ScheduleView(
            9,
            "hello-python",
            "nightly",
            "0 2 * * *",
            "Europe/Berlin",
            "default",
            null,
            json("{\"full\":true}"),
            1,
            2,
            true,
            "skip",
            "latest",
            3,
            T3,
            T2,
            T1,
            T1);
    response(schedule, "schedule.json");
    response(new ScheduleView.ScheduleList(List.of(schedule)), "schedule-list.json");
    ScheduleView.TickView fired = new ScheduleView.TickView(T2, "fired", null, 43L);
    response(
        new ScheduleView.TickList(
            List.of(fired, new ScheduleView.TickView(T1, "skipped", "previous run active", null))),
        "schedule-ticks.json");
  }

  @Test
  void teamScheduleListEncodesTheScheduleFlatWithItsLastTick() throws IOException {
    // @JsonUnwrapped cannot be decoded into a record by Jackson: pinned in one direction only.
    ScheduleView schedule =
        new ScheduleView(
            9,
            "hello-python",
            "nightly",
            "0 2 * * *",
            "UTC",
            "default",
            2,
            null,
            0,
            0,
            true,
            "skip",
            "latest",
            3,
            T3,
            null,
            T1,
            T1);
    var list =
        new ScheduleView.TeamScheduleList(
            List.of(
                new ScheduleView.WithLastTick(
                    schedule, new ScheduleView.TickView(T2, "fired", null, 43L))));
    if (UPDATE) {
      update(list, "team-schedule-list.json");
    }
    assertThat(JSON.writeValueAsString(list)).isEqualTo(golden("team-schedule-list.json"));
  }

  @Test
  void secretResponses() throws IOException {
    response(
        new SecretViews.SecretList(
            List.of(
                new SecretViews.SecretView("API_KEY", null, "a1b2c3d4", T1, T2),
                new SecretViews.SecretView("DB_URL", "staging", "e5f6a7b8", T1, T1))),
        "secret-list.json");
    response(new SecretViews.Reencrypted("k2", 10, 0), "secrets-reencrypted.json");
  }

  @Test
  void statsResponses() throws IOException {
    StatsViews.BucketView bucket =
        new StatsViews.BucketView(T1, 10, 1, 2, 5, 1, 1, 0, 0.7142857142857143, 12.5, 40.0);
    StatsViews.BucketView empty =
        new StatsViews.BucketView(T2, 0, 0, 0, 0, 0, 0, 0, null, null, null);
    response(
        new StatsViews.RunStats("hello-python", "hour", T1, bucket, List.of(bucket, empty)),
        "run-stats.json");
    response(
        new StatsViews.SlowestApps(
            T1, List.of(new StatsViews.AppDurationView("hello-python", 10, 1, 12.5, 40.0, 61.0))),
        "slowest-apps.json");
    response(
        new StatsViews.DurationList(
            List.of(new StatsViews.DurationPointView(43, 2, "completed", T1, T2, T3, 51.0))),
        "duration-list.json");
    response(
        new StatsViews.RunTimeline(
            43,
            "completed",
            T1,
            T3,
            List.of(new StatsViews.AttemptSpanView(1, "completed", "runner-1", T1, T1, T2, T3))),
        "run-timeline.json");
    response(
        new StatsViews.EnvironmentOverviewList(
            List.of(
                new StatsViews.EnvironmentOverview(
                    1,
                    "default",
                    true,
                    3,
                    1,
                    T1,
                    1,
                    List.of(
                        new StatsViews.EnvironmentRunnerView(
                            5, "runner-1", "online", T2, "global"))),
                new StatsViews.EnvironmentOverview(2, "staging", false, 0, 0, null, 0, null))),
        "environment-overview-list.json");
  }
}
