package dev.minitower.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.system.faults.Api;
import dev.minitower.system.faults.Http;
import dev.minitower.system.faults.Runner;
import dev.minitower.system.faults.Stack;
import dev.minitower.system.faults.Svc;
import dev.minitower.system.faults.Tar;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 15's corpus of hostile requests against the packaged services: every row must end in a
 * documented 4xx with the JSON error envelope, store nothing (row counts and states of every table
 * before and after) and put no ERROR line in any service's log. Rows that are not a bad request (a
 * revoked token on a live stream, the database going away, the rate limiter's memory) are proven by
 * the owning module's tests, named in docs/security.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class BadInputCorpusIT {
  private Stack stack;
  private Svc api;
  private Svc runners;
  private Svc scheduler;
  private Api team;
  private Runner runner;
  private Runner.Lease lease;
  private final Map<Svc, Long> logOffsets = new java.util.HashMap<>();

  @BeforeAll
  void start() throws Exception {
    stack = Stack.fresh("mt_corpus");
    api = stack.add("api-service", Map.of("MINITOWER_BCRYPT_COST", "10"));
    runners = stack.add("runner-service", Map.of("MINITOWER_LEASE_TTL", "60s"));
    // The same lease TTL as runner-service: the scheduler marks runners unseen for twice its TTL
    // offline, and the corpus runner is idle between rows (the stack's 5 s made it offline, 401,
    // whenever the rows before row 6 took more than 10 s).
    scheduler = stack.add("scheduler-service", Map.of("MINITOWER_LEASE_TTL", "60s"));
    stack.awaitReady();
    team = Api.bootstrap(api.baseUrl(), "boot-secret", "corpus-a", "password-a");
    team.createApp("typed");
    Http.Res v =
        team.upload(
            "typed",
            Tar.gz(
                t ->
                    t.file(
                            "Towerfile",
                            Tar.towerfile("typed", "./job.sh")
                                + "\n[[parameters]]\nname = \"count\"\ntype = \"integer\"\n")
                        .file("job.sh", "#!/bin/sh\necho $count\n")));
    assertThat(v.status()).as(v.toString()).isEqualTo(201);
    team.createRun("typed", "{\"input\":{\"count\":1}}");
    runner = Runner.register(runners.baseUrl(), "corpus-runner", "default");
    lease = runner.lease();
    assertThat(lease).isNotNull();
    for (Svc s : List.of(api, runners, scheduler)) {
      logOffsets.put(s, Files.size(s.log));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private Snapshot snap() {
    return Snapshot.of(stack.jdbcUrl);
  }

  /** A refused request: one of {@code statuses}, the envelope, nothing stored. */
  private void refused(String what, java.util.function.Supplier<Http.Res> call, int... statuses) {
    Snapshot before = snap();
    SecurityIT.refused(call.get(), what, statuses);
    before.assertUnchanged(stack.jdbcUrl, what);
  }

  private void refusedRaw(String what, RawHttp.Answer a, int... statuses) {
    assertThat(a.status())
        .as(what + " → " + a.head())
        .isIn(java.util.Arrays.stream(statuses).boxed().toArray());
    SecurityIT.envelope(a.body(), null, what);
  }

  private static InputStream repeat(byte b, long size) throws java.io.IOException {
    return Lazy.stream(
        out -> {
          byte[] block = new byte[65536];
          java.util.Arrays.fill(block, b);
          for (long n = 0; n < size; n += block.length) {
            out.write(block, 0, (int) Math.min(block.length, size - n));
          }
        });
  }

  // ---------------------------------------------------------------- row 1, 2: chunked body caps

  @Test
  void row01_chunkedJsonBodyOverTheCapIs413() throws Exception {
    Snapshot before = snap();
    InputStream body =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream("{\"slug\":\"x\",\"description\":\"".getBytes()),
            repeat((byte) 'a', 12L << 20));
    RawHttp.Answer a =
        RawHttp.send(
            api.port,
            "POST",
            "/api/v1/apps",
            "Authorization: Bearer " + team.token + "\r\nContent-Type: application/json\r\n",
            body,
            -1);
    refusedRaw("12 MiB chunked JSON", a, 413);
    before.assertUnchanged(stack.jdbcUrl, "12 MiB chunked JSON");
  }

  @Test
  void row02_unauthenticatedChunkedBodiesStopAtASmallCap() throws Exception {
    for (String path : List.of("/api/v1/teams/login", "/api/v1/teams/signup")) {
      Snapshot before = snap();
      InputStream body =
          new java.io.SequenceInputStream(
              new ByteArrayInputStream("{\"slug\":\"".getBytes()), repeat((byte) 'a', 60L << 20));
      RawHttp.Answer a =
          RawHttp.send(api.port, "POST", path, "Content-Type: application/json\r\n", body, -1);
      refusedRaw("60 MiB chunked " + path, a, 413);
      assertThat(a.bytesSent()).as("read stops early on " + path).isLessThan(16L << 20);
      before.assertUnchanged(stack.jdbcUrl, "60 MiB chunked " + path);
    }
  }

  // ---------------------------------------------------------------- row 4: NUL characters

  // ---------------------------------------------------------------- row 3: management port

  @Test
  void row03_metricsAndProbesAreOnlyOnTheManagementPort() {
    for (Svc s : List.of(api, runners, scheduler)) {
      for (String path : List.of("/metrics", "/health", "/ready", "/q/health")) {
        Http.Res pub = Http.get(s.baseUrl() + path, null);
        SecurityIT.refused(pub, s.module + " public " + path, 404);
      }
      Http.Res metrics = Http.get(s.managementUrl() + "/metrics", null);
      assertThat(metrics.status()).as(s.module + " management /metrics").isEqualTo(200);
      assertThat(metrics.body()).contains("minitower_http_requests_total");
      assertThat(Http.get(s.managementUrl() + "/ready", null).status()).isEqualTo(200);
    }
  }

  @Test
  void row04_nulInNamesMessagesQueriesAndPathsIs400Or404() {
    String nul = "\\u0000";
    refused(
        "NUL in login slug",
        () ->
            Http.post(
                api.baseUrl() + "/api/v1/teams/login",
                null,
                "{\"slug\":\"a" + nul + "b\",\"password\":\"password-a\"}"),
        400);
    refused(
        "NUL in signup name",
        () ->
            Http.post(
                api.baseUrl() + "/api/v1/teams/signup",
                null,
                "{\"slug\":\"nulteam\",\"name\":\"N" + nul + "\",\"password\":\"password-x\"}"),
        400);
    refused(
        "NUL in token name", () -> team.post("/api/v1/tokens", "{\"name\":\"t" + nul + "\"}"), 400);
    refused(
        "NUL in schedule name",
        () ->
            team.post(
                "/api/v1/apps/typed/schedules",
                "{\"name\":\"s" + nul + "\",\"cron\":\"* * * * *\",\"input\":{\"count\":1}}"),
        400);
    refused(
        "NUL in runner name",
        () ->
            Http.post(
                runners.baseUrl() + "/api/v1/runners/register",
                "runner-secret",
                "{\"name\":\"r" + nul + "\",\"environment\":\"default\"}"),
        400);
    refused(
        "NUL in result error_message",
        () ->
            runner.call(
                lease, "result", "{\"status\":\"failed\",\"error_message\":\"e" + nul + "\"}"),
        400);
    refused("NUL in ?app=", () -> team.get("/api/v1/runs?app=x%00"), 400);
    refused("NUL in a path segment", () -> team.get("/api/v1/apps/x%00"), 404);
  }

  // ---------------------------------------------------------------- row 5: broken multipart

  @Test
  void row05_multipartWithoutBodyOrWithAForeignBoundaryIs400() {
    refused(
        "multipart without a body",
        () ->
            Http.send(
                Http.req(api.baseUrl() + "/api/v1/apps/typed/versions")
                    .header("Authorization", "Bearer " + team.token)
                    .header("Content-Type", "multipart/form-data; boundary=abc")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build()),
        400);
    refused(
        "multipart with a boundary that does not match",
        () ->
            Http.send(
                Http.req(api.baseUrl() + "/api/v1/apps/typed/versions")
                    .header("Authorization", "Bearer " + team.token)
                    .header("Content-Type", "multipart/form-data; boundary=abc")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "--xyz\r\nContent-Disposition: form-data; name=\"artifact\";"
                                + " filename=\"a.tar.gz\"\r\n\r\nxx\r\n--xyz--\r\n"))
                    .build()),
        400);
  }

  // ---------------------------------------------------------------- row 6, 7: runner-service JSON

  @Test
  void row06_runnerServiceBodiesFollowTheStrictJsonRules() {
    String reg = runners.baseUrl() + "/api/v1/runners/register";
    refused("name as a number", () -> Http.post(reg, "runner-secret", "{\"name\":123}"), 400);
    refused(
        "duplicate keys",
        () -> Http.post(reg, "runner-secret", "{\"name\":\"dup-a\",\"name\":\"dup-b\"}"),
        400);
    refused(
        "trailing garbage",
        () -> Http.post(reg, "runner-secret", "{\"name\":\"trail\"} garbage"),
        400);
    refused(
        "unknown field team_id",
        () -> Http.post(reg, "runner-secret", "{\"name\":\"mass\",\"team_id\":1}"),
        400);
    refused(
        "exit_code as a string",
        () -> runner.call(lease, "result", "{\"status\":\"failed\",\"exit_code\":\"0\"}"),
        400);
    refused(
        "exit_code as a fraction",
        () -> runner.call(lease, "result", "{\"status\":\"failed\",\"exit_code\":1.5}"),
        400);
    refused(
        "seq as a string",
        () ->
            runner.call(
                lease, "logs", "{\"logs\":[{\"seq\":\"1\",\"stream\":\"stdout\",\"line\":\"x\"}]}"),
        400);
  }

  @Test
  void row07_runnerEnvironmentFollowsTheEnvironmentNameRule() {
    refused(
        "environment ../../x",
        () ->
            Http.post(
                runners.baseUrl() + "/api/v1/runners/register",
                "runner-secret",
                "{\"name\":\"envpath\",\"environment\":\"../../x\"}"),
        400);
  }

  // ---------------------------------------------------------------- row 8: schedules

  @Test
  void row08_schedulePriorityAndInputFollowTheRunRules() {
    refused(
        "schedule priority 5000",
        () ->
            team.post(
                "/api/v1/apps/typed/schedules",
                "{\"name\":\"p\",\"cron\":\"* * * * *\",\"priority\":5000,\"input\":{\"count\":1}}"),
        400);
    refused(
        "schedule input against the schema",
        () ->
            team.post(
                "/api/v1/apps/typed/schedules",
                "{\"name\":\"i\",\"cron\":\"* * * * *\",\"input\":{\"count\":\"many\"}}"),
        400);
  }

  // ---------------------------------------------------------------- row 9, 10: input text

  @Test
  void row09_loneSurrogatesAndOversizedInputsAreRefused() {
    refused(
        "lone surrogate in an input",
        () -> team.post("/api/v1/apps/typed/runs", "{\"input\":{\"count\":1,\"s\":\"\\ud800\"}}"),
        400);
    String big = "x".repeat(5 << 20);
    refused(
        "5 MiB input string",
        () ->
            team.post("/api/v1/apps/typed/runs", "{\"input\":{\"count\":1,\"s\":\"" + big + "\"}}"),
        400,
        413);
  }

  @Test
  void row10_fieldNamesDifferingOnlyInCaseAreDuplicates() {
    refused(
        "priority and PRIORITY",
        () ->
            team.post(
                "/api/v1/apps/typed/runs",
                "{\"input\":{\"count\":1},\"priority\":1,\"PRIORITY\":2}"),
        400);
  }

  // ---------------------------------------------------------------- row 11: revoked stream

  @Test
  void row11_aLiveStreamEndsSoonAfterItsTokenIsRevoked() throws Exception {
    Http.Res minted = team.post("/api/v1/tokens", "{\"role\":\"member\"}");
    assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
    String member = minted.json().get("token").asText();
    long tokenId = Http.get(api.baseUrl() + "/api/v1/me", member).json().get("token_id").asLong();
    long run = team.createRun("typed", "{\"input\":{\"count\":2}}");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    var stream =
        java.net.http.HttpClient.newHttpClient()
            .sendAsync(
                Http.req(api.baseUrl() + "/api/v1/runs/" + run + "/stream")
                    .header("Authorization", "Bearer " + member)
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines())
            .thenAccept(r -> r.body().forEach(lines::add));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> lines.contains("event:status"));
    assertThat(stream).isNotDone();

    assertThat(Http.delete(api.baseUrl() + "/api/v1/tokens/" + tokenId, team.token).status())
        .isEqualTo(204);

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(stream::isDone);
    assertThat(String.join("\n", lines)).contains("event:error");
  }

  // ---------------------------------------------------------------- row 15: archive edge cases

  /**
   * What docs/security.md and docs/compatibility.md promise: bytes after the gzip data are ignored
   * and an in-root hard link to an earlier file is accepted (extracted as a copy); a hard link out
   * of the root is refused.
   */
  @Test
  void row15_archiveEdgeCasesBehaveAsDocumented() throws Exception {
    byte[] gz =
        Tar.gz(
            t ->
                t.file("Towerfile", Tar.towerfile("typed", "./job.sh"))
                    .file("job.sh", "#!/bin/sh\necho hi\n")
                    .entry("copy.sh", '1', 0644, new byte[0], "job.sh"));
    byte[] withGarbage = java.util.Arrays.copyOf(gz, gz.length + 32);
    java.util.Arrays.fill(withGarbage, gz.length, withGarbage.length, (byte) 0x5a);
    Http.Res accepted = team.upload("typed", withGarbage);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);

    byte[] outside =
        Tar.gz(
            t ->
                t.file("Towerfile", Tar.towerfile("typed", "./job.sh"))
                    .file("job.sh", "#!/bin/sh\necho hi\n")
                    .entry("shadow", '1', 0644, new byte[0], "../../etc/shadow"));
    refused("hard link out of the root", () -> team.upload("typed", outside), 400);
  }

  // ---------------------------------------------------------------- row 12, 13, 14: HTTP layer

  @Test
  void row12_corsPreflightFromADisallowedOriginIs403OnEveryService() throws Exception {
    for (Svc s : List.of(api, runners, scheduler)) {
      RawHttp.Answer a =
          RawHttp.send(
              s.port,
              "OPTIONS",
              "/api/v1/apps",
              "Origin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n",
              new ByteArrayInputStream(new byte[0]),
              0);
      assertThat(a.status()).as(s.module + " preflight " + a.head()).isEqualTo(403);
      assertThat(a.head().toLowerCase()).doesNotContain("access-control-allow-origin");
    }
  }

  @Test
  void row13_theWebUiIsServedWithSecurityHeaders() {
    Http.Res r = Http.get(api.baseUrl() + "/", null);
    assertThat(r.status()).isEqualTo(200);
    var h = r.raw().headers();
    String csp = h.firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
    assertThat(h.firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(h.firstValue("Referrer-Policy")).isPresent();
  }

  @Test
  void row14_gzipTransferEncodingIsRefusedOnEveryService() throws Exception {
    for (Svc s : List.of(api, runners, scheduler)) {
      Snapshot before = snap();
      RawHttp.Answer a =
          RawHttp.send(
              s.port,
              "POST",
              "/api/v1/apps",
              "Authorization: Bearer "
                  + team.token
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n",
              new ByteArrayInputStream("{\"slug\":\"te-app\"}".getBytes(StandardCharsets.UTF_8)),
              -1);
      assertThat(a.status()).as(s.module + " TE gzip, chunked " + a.head()).isIn(400, 501);
      before.assertUnchanged(stack.jdbcUrl, "TE gzip on " + s.module);
    }
  }

  // ---------------------------------------------------------------- logs

  @Test
  void zz_noServiceLoggedAnErrorForAnyOfTheseRequests() throws Exception {
    for (Svc s : List.of(api, runners, scheduler)) {
      byte[] all = Files.readAllBytes(s.log);
      String fresh =
          new String(
              java.util.Arrays.copyOfRange(all, logOffsets.get(s).intValue(), all.length),
              StandardCharsets.UTF_8);
      assertThat(
              fresh.lines().filter(l -> l.contains(" ERROR ") || l.contains("\"level\":\"ERROR\"")))
          .as(s.module + " log")
          .isEmpty();
    }
  }
}
