package dev.minitower.api.live;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.minitower.api.ApiFixtures;
import dev.minitower.api.RunFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Live run updates over server-sent events, woken by PostgreSQL notifications. */
@QuarkusTest
class RunStreamTest {
  @Inject RunFixtures fixtures;

  @Test
  void streamPushesStatusChangesAndLogLinesThenClosesWhenTheRunEnds() throws Exception {
    Queued queued = queuedRun("live");
    ApiFixtures.Team team = queued.team();
    String env = queued.env();
    long runId = queued.runId();

    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + RestAssured.port + "/api/v1/runs/" + runId + "/stream"))
            .header("Authorization", "Bearer " + team.token())
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    CompletableFuture<HttpResponse<Void>> stream =
        HttpClient.newHttpClient()
            .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
            .thenApply(
                r -> {
                  r.body().forEach(lines::add);
                  return null;
                });
    // The first event needs a database round trip: generous under a loaded suite.
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event:status"));
    assertThat(String.join("\n", lines)).contains("\"status\":\"queued\"");

    RunFixtures.Lease lease = fixtures.lease(fixtures.runner(team.id(), env));
    fixtures.start(lease);
    // Generous bounds (they end as soon as the event is there): a loaded suite can hold a
    // notification or the stream's worker for seconds; the test checks what arrives, not how fast.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> String.join("\n", lines).contains("\"status\":\"running\""));

    fixtures.logs(lease, "stdout", "hello from the run", "stderr", "<b>not html</b>");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> String.join("\n", lines).contains("hello from the run"));
    assertThat(String.join("\n", lines)).contains("<b>not html</b>").contains("event:log");

    fixtures.complete(lease, "completed", 0, null);
    await().atMost(Duration.ofSeconds(30)).until(stream::isDone);
    assertThat(String.join("\n", lines)).contains("\"status\":\"completed\"");
  }

  /**
   * A stream opened on a run that has already ended sends everything and ends inside the request
   * that opened it (its first refresh runs on that request's thread): the answer must still be a
   * well-formed event stream that closes.
   */
  @Test
  void aStreamOfAnEndedRunSendsItsStatusAndLinesThenEnds() throws Exception {
    Queued queued = queuedRun("live-end");
    ApiFixtures.Team team = queued.team();
    String env = queued.env();
    long runId = queued.runId();
    RunFixtures.Lease lease = fixtures.lease(fixtures.runner(team.id(), env));
    fixtures.start(lease);
    fixtures.logs(lease, "stdout", "said before the stream opened");
    fixtures.complete(lease, "completed", 0, null);

    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:"
                                + RestAssured.port
                                + "/api/v1/runs/"
                                + runId
                                + "/stream"))
                    .header("Authorization", "Bearer " + team.token())
                    .header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(answer.body())
        .contains("event:status")
        .contains("\"status\":\"completed\"")
        .contains("event:log")
        .contains("said before the stream opened");
  }

  @Test
  void anotherTeamCannotStreamTheRun() throws Exception {
    ApiFixtures.Team owner = ApiFixtures.signup("live-own");
    ApiFixtures.Team other = ApiFixtures.signup("live-oth");
    String app = ApiFixtures.slug("app");
    as(owner.token()).body(Map.of("slug", app)).post("/api/v1/apps").then().statusCode(201);
    fixtures.version(owner.id(), app, null);
    long runId = ApiFixtures.createRun(owner.token(), app, Map.of());
    as(other.token()).get("/api/v1/runs/" + runId + "/stream").then().statusCode(404);
    ApiFixtures.given().get("/api/v1/runs/" + runId + "/stream").then().statusCode(401);
  }

  @Test
  void streamEndsWithinSecondsOnceItsTokenIsRevoked() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("live-rev");
    String app = ApiFixtures.slug("app");
    as(team.token()).body(Map.of("slug", app)).post("/api/v1/apps").then().statusCode(201);
    fixtures.version(team.id(), app, null);
    long runId = ApiFixtures.createRun(team.token(), app, Map.of());
    String member = ApiFixtures.memberToken(team);
    long memberTokenId =
        as(member).get("/api/v1/me").then().extract().jsonPath().getLong("token_id");

    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + RestAssured.port + "/api/v1/runs/" + runId + "/stream"))
            .header("Authorization", "Bearer " + member)
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    CompletableFuture<HttpResponse<Void>> stream =
        HttpClient.newHttpClient()
            .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
            .thenApply(
                r -> {
                  r.body().forEach(lines::add);
                  return null;
                });
    // The first event needs a database round trip: generous under a loaded suite.
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event:status"));
    assertThat(stream).isNotDone();

    as(team.token()).delete("/api/v1/tokens/" + memberTokenId).then().statusCode(204);
    long revokedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(stream::isDone);
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
    assertThat(String.join("\n", lines)).contains("event:error").contains("\"unauthorized\"");
    as(member).get("/api/v1/runs/" + runId + "/stream").then().statusCode(401);
  }

  private record Queued(ApiFixtures.Team team, String env, long runId) {}

  /** A new team with an environment and an app with a version, and one queued run of it there. */
  private Queued queuedRun(String prefix) throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup(prefix);
    String env = ApiFixtures.slug("env");
    as(team.token()).body(Map.of("name", env)).post("/api/v1/environments").then().statusCode(201);
    String app = ApiFixtures.slug("app");
    as(team.token()).body(Map.of("slug", app)).post("/api/v1/apps").then().statusCode(201);
    fixtures.version(team.id(), app, null);
    return new Queued(
        team, env, ApiFixtures.createRun(team.token(), app, Map.of("environment", env)));
  }
}
