package dev.minitower.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.HeartbeatBatchRequest;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.runner.LogBatch;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.model.runner.RegisterResponse;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.runner.RunnerProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The HTTP calls of the bench: client API (api-service) and runner protocol (runner-service). */
public final class Http {
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final HttpClient client;
  private final String api;
  private final String runners;
  private final Metrics metrics;

  public Http(String api, String runners, Metrics metrics) {
    this.api = api;
    this.runners = runners;
    this.metrics = metrics;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            // Responses complete on the client's selector thread, which wakes the calling thread
            // directly: with a pool here each call had one more thread hop, measured as latency
            // (steady lease p99 28.7 → 23.7 ms) and costing the driver's CPU on the cores the
            // services share (docs/performance.md, fifth round). Only blocking send() is used.
            .executor(Runnable::run)
            .build();
  }

  /** A non-2xx answer (also counted in the scenario's errors). */
  public static final class HttpError extends IOException {
    final int status;

    HttpError(String what, int status, String body) {
      super(what + " -> " + status + " " + body);
      this.status = status;
    }
  }

  // ------------------------------------------------------------------ setup (client API)

  /** An admin team token: bootstrap the team {@code bench}, or sign up a fresh team. */
  public String teamToken(String bootstrapToken) throws IOException {
    String pw = "bench-" + UUID.randomUUID();
    HttpResponse<String> r =
        send(
            "bootstrap",
            post(
                api + "/api/v1/bootstrap/team",
                bootstrapToken,
                // no password: a bcrypt hash (cost 12) costs the measured service seconds of CPU
                json(Map.of("slug", "bench", "name", "Bench"))));
    if (r.statusCode() == 200 || r.statusCode() == 201) {
      return JSON.readTree(r.body()).path("token").asText();
    }
    String slug = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    r =
        send(
            "signup",
            post(
                api + "/api/v1/teams/signup",
                null,
                json(Map.of("slug", slug, "name", "Bench", "password", pw))));
    return check("signup", r).path("token").asText();
  }

  /** The caller's team id ({@code GET /api/v1/me}). */
  public long teamId(String token) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(api + "/api/v1/me"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    return check("me", send("me", req)).path("team_id").asLong();
  }

  public void ensureApp(String token, String app) throws IOException {
    HttpResponse<String> r =
        send("create app", post(api + "/api/v1/apps", token, json(Map.of("slug", app))));
    if (r.statusCode() != 201 && r.statusCode() != 409) {
      check("create app", r);
    }
  }

  public int uploadVersion(String token, String app, byte[] artifact) throws IOException {
    String boundary = "----bench" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"artifact\";"
                + " filename=\"app.tar.gz\"\r\nContent-Type: application/gzip\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(artifact);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(api + "/api/v1/apps/" + app + "/versions"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .timeout(Duration.ofSeconds(30))
            .build();
    return check("upload version", send("upload version", req)).path("version_no").asInt();
  }

  public void createEnvironment(String token, String name) throws IOException {
    HttpResponse<String> r =
        send("create env", post(api + "/api/v1/environments", token, json(Map.of("name", name))));
    if (r.statusCode() != 201 && r.statusCode() != 409) {
      check("create env", r);
    }
  }

  // ------------------------------------------------------------------ measured calls

  /** {@code POST /api/v1/apps/{app}/runs} in {@code env}; the run id. */
  public long createRun(String token, String app, String env) throws IOException {
    JsonNode n =
        timed(
            "create",
            post(api + "/api/v1/apps/" + app + "/runs", token, json(Map.of("environment", env))));
    return n.path("run_id").asLong();
  }

  public RegisterResponse register(String registrationToken, String name, String env)
      throws IOException {
    HttpResponse<String> r =
        send(
            "register",
            post(
                runners + RunnerProtocol.REGISTER,
                registrationToken,
                json(new RegisterRequest(name, env, null, null))));
    return JSON.treeToValue(check("register", r), RegisterResponse.class);
  }

  /** A lease, or empty on 204 (long-poll ran out). */
  public Optional<LeaseResponse> lease(String runnerToken, String waitParam, Duration timeout)
      throws IOException {
    String url = runners + RunnerProtocol.LEASE + (waitParam == null ? "" : "?wait=" + waitParam);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + runnerToken)
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(timeout)
            .build();
    long t0 = System.nanoTime();
    HttpResponse<String> r = send("lease", req);
    long dt = System.nanoTime() - t0;
    if (r.statusCode() == 204) {
      metrics.endpoint("lease (204)").recordNanos(dt);
      return Optional.empty();
    }
    metrics.endpoint("lease").recordNanos(dt);
    return Optional.of(JSON.treeToValue(check("lease", r), LeaseResponse.class));
  }

  /** This repo's agent: one batch lease of one run, started by the lease itself. */
  public Optional<LeaseResponse> leaseStarted(
      String runnerToken, String waitParam, Duration timeout) throws IOException {
    String url =
        runners + RunnerProtocol.BATCH_LEASE + (waitParam == null ? "" : "?wait=" + waitParam);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + runnerToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"max\":1,\"start\":true}"))
            .timeout(timeout)
            .build();
    long t0 = System.nanoTime();
    HttpResponse<String> r = send("lease+start", req);
    long dt = System.nanoTime() - t0;
    if (r.statusCode() == 204) {
      metrics.endpoint("lease+start (204)").recordNanos(dt);
      return Optional.empty();
    }
    metrics.endpoint("lease+start").recordNanos(dt);
    JsonNode leases = check("lease+start", r).get("leases");
    return Optional.of(JSON.treeToValue(leases.get(0), LeaseResponse.class));
  }

  /** This repo's agent: the result carrying the run's log lines. */
  public Optional<LeaseResponse> resultWithLogs(
      String runnerToken, long runId, String leaseToken, int lines, boolean next)
      throws IOException {
    JsonNode answer =
        timed(
            next ? "result+logs+next" : "result+logs",
            runnerPost(
                RunnerProtocol.result(runId),
                runnerToken,
                leaseToken,
                json(
                    new ResultRequest(
                        "completed",
                        0,
                        null,
                        entries(runId, lines),
                        next ? new BatchLeaseRequest(1, true) : null))));
    JsonNode leases = answer.get("leases");
    if (leases == null || leases.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(JSON.treeToValue(leases.get(0), LeaseResponse.class));
  }

  private static List<LogEntry> entries(long runId, int lines) {
    List<LogEntry> entries = new ArrayList<>(lines);
    String now = Instant.now().toString();
    for (int i = 1; i <= lines; i++) {
      entries.add(new LogEntry(i, "stdout", "bench line " + i + " of run " + runId, now));
    }
    return entries;
  }

  public JsonNode start(String runnerToken, long runId, String leaseToken) throws IOException {
    return timed("start", runnerPost(RunnerProtocol.start(runId), runnerToken, leaseToken, ""));
  }

  public JsonNode heartbeat(String runnerToken, long runId, String leaseToken) throws IOException {
    return timed(
        "heartbeat", runnerPost(RunnerProtocol.heartbeat(runId), runnerToken, leaseToken, ""));
  }

  public JsonNode batchHeartbeat(String runnerToken, List<HeartbeatBatchRequest.Lease> leases)
      throws IOException {
    return timed(
        "heartbeat (batch)",
        runnerPost(
            RunnerProtocol.BATCH_HEARTBEAT,
            runnerToken,
            null,
            json(new HeartbeatBatchRequest(leases))));
  }

  public void logs(String runnerToken, long runId, String leaseToken, int lines)
      throws IOException {
    List<LogEntry> entries = new ArrayList<>(lines);
    String now = Instant.now().toString();
    for (int i = 1; i <= lines; i++) {
      entries.add(new LogEntry(i, "stdout", "bench line " + i + " of run " + runId, now));
    }
    timed(
        "logs",
        runnerPost(
            RunnerProtocol.logs(runId), runnerToken, leaseToken, json(new LogBatch(entries))));
  }

  public void result(String runnerToken, long runId, String leaseToken) throws IOException {
    timed(
        "result",
        runnerPost(
            RunnerProtocol.result(runId),
            runnerToken,
            leaseToken,
            json(new ResultRequest("completed", 0, null))));
  }

  // ------------------------------------------------------------------ plumbing

  private HttpRequest runnerPost(String path, String runnerToken, String leaseToken, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(runners + path))
            .header("Authorization", "Bearer " + runnerToken)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (leaseToken != null) {
      b.header(RunnerProtocol.LEASE_TOKEN_HEADER, leaseToken);
    }
    return b.build();
  }

  private static HttpRequest post(String url, String bearer, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b.build();
  }

  private JsonNode timed(String endpoint, HttpRequest req) throws IOException {
    long t0 = System.nanoTime();
    HttpResponse<String> r = send(endpoint, req);
    metrics.endpoint(endpoint).recordNanos(System.nanoTime() - t0);
    return check(endpoint, r);
  }

  private HttpResponse<String> send(String endpoint, HttpRequest req) throws IOException {
    try {
      return client.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      metrics.error(endpoint + ": " + e.getClass().getSimpleName());
      throw e;
    }
  }

  private JsonNode check(String endpoint, HttpResponse<String> r) throws IOException {
    if (r.statusCode() / 100 != 2) {
      metrics.error(endpoint + ": HTTP " + r.statusCode());
      throw new HttpError(endpoint, r.statusCode(), r.body());
    }
    String body = r.body();
    return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
