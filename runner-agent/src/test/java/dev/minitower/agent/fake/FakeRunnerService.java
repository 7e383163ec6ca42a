package dev.minitower.agent.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.minitower.model.hash.Sha256;
import dev.minitower.model.runner.AttemptView;
import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.BatchLeaseResponse;
import dev.minitower.model.runner.HeartbeatBatchRequest;
import dev.minitower.model.runner.HeartbeatBatchResponse;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.runner.LogBatch;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.model.runner.RegisterResponse;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.runner.ResultResponse;
import dev.minitower.model.runner.RunnerProtocol;
import dev.minitower.model.wire.WireTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-process test double of runner-service speaking the runner protocol's exact wire shapes
 * (shared-model records, paths, headers and status codes of docs/spec/api.md §2.23–2.30 plus the
 * additions: long-poll, batch heartbeat, idempotent result). Behaviour can be scripted per run.
 */
public final class FakeRunnerService implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUN_PATH =
      Pattern.compile("/api/v1/runs/(\\d+)/(start|heartbeat|logs|result|artifact)");

  private final HttpServer server;
  private final String registrationToken;
  private final LinkedBlockingQueue<FakeRun> queue = new LinkedBlockingQueue<>();
  private final Map<Long, FakeRun> runs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(100);
  private final List<String> requests = new CopyOnWriteArrayList<>();
  public final AtomicInteger registrations = new AtomicInteger();
  public final AtomicInteger leasePolls = new AtomicInteger();
  public final AtomicInteger batchHeartbeats = new AtomicInteger();
  public volatile RegisterRequest lastRegistration;

  /** Every lease names its artifact's digest (as servers of this repo do). */
  public volatile boolean shaInLease;

  private volatile String runnerToken;
  private volatile Duration ttl = Duration.ofSeconds(6);
  private volatile boolean batchSupported = true;
  private volatile boolean batchLeaseOffered = false;
  private volatile boolean nextOffered = true;
  public final AtomicInteger batchLeaseCalls = new AtomicInteger();

  public FakeRunnerService(String registrationToken) throws IOException {
    this.registrationToken = registrationToken;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void ttl(Duration value) {
    ttl = value;
  }

  public void batchSupported(boolean value) {
    batchSupported = value;
  }

  /**
   * Offers the batch lease ({@code POST /api/v1/runners/lease}, off by default: answered 404 like
   * the original server) and, with {@code next}, the next lease on results; without it a result
   * carrying {@code next} is refused as a server from before that field refuses it.
   */
  public void batchLease(boolean offered, boolean next) {
    batchLeaseOffered = offered;
    nextOffered = next;
  }

  public String runnerToken() {
    return runnerToken;
  }

  /** Makes the current runner token invalid (as a rotation by another registration would). */
  public void revokeRunnerToken() {
    runnerToken = "revoked-" + UUID.randomUUID();
  }

  /** Every request as {@code METHOD path}, in arrival order. */
  public List<String> requests() {
    return requests;
  }

  public FakeRun enqueue(FakeRun.Builder builder) {
    FakeRun run = builder.build(ids.incrementAndGet());
    runs.put(run.runId, run);
    queue.add(run);
    return run;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + path);
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.equals(RunnerProtocol.REGISTER)) {
        register(ex, body);
        return;
      }
      if (!("Bearer " + runnerToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        error(ex, 401, "unauthorized", "invalid or missing token");
        return;
      }
      if (path.equals(RunnerProtocol.LEASE)) {
        lease(ex);
        return;
      }
      if (path.equals(RunnerProtocol.BATCH_LEASE) && batchLeaseOffered) {
        batchLease(ex, body);
        return;
      }
      if (path.equals(RunnerProtocol.BATCH_HEARTBEAT)) {
        batchHeartbeat(ex, body);
        return;
      }
      Matcher m = RUN_PATH.matcher(path);
      if (!m.matches()) {
        send(ex, 404, "text/plain", "404 page not found".getBytes(StandardCharsets.UTF_8));
        return;
      }
      FakeRun run = runs.get(Long.parseLong(m.group(1)));
      String leaseToken = ex.getRequestHeaders().getFirst(RunnerProtocol.LEASE_TOKEN_HEADER);
      if (leaseToken == null || leaseToken.isEmpty()) {
        error(ex, 400, "invalid_request", "missing lease token");
        return;
      }
      if (run == null || !leaseToken.equals(run.leaseToken) || !run.live()) {
        if (m.group(2).equals("result") && run != null && leaseToken.equals(run.leaseToken)) {
          result(ex, run, body);
          return;
        }
        error(ex, 410, "gone", "invalid or expired lease");
        return;
      }
      switch (m.group(2)) {
        case "start" -> start(ex, run);
        case "heartbeat" -> heartbeat(ex, run);
        case "logs" -> logs(ex, run, body);
        case "result" -> result(ex, run, body);
        default -> artifact(ex, run);
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  private void register(HttpExchange ex, byte[] body) throws IOException {
    if (!("Bearer " + registrationToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      error(ex, 401, "unauthorized", "invalid or missing token");
      return;
    }
    RegisterRequest req = JSON.readValue(body, RegisterRequest.class);
    lastRegistration = req;
    int n = registrations.incrementAndGet();
    runnerToken = "mtr_" + UUID.randomUUID().toString().replace("-", "");
    json(
        ex,
        n == 1 ? 201 : 200,
        new RegisterResponse(
            7, req.name(), runnerToken, req.environment(), req.maxConcurrent(), null));
  }

  private void lease(HttpExchange ex) throws Exception {
    leasePolls.incrementAndGet();
    Duration wait = Duration.ZERO;
    String query = ex.getRequestURI().getQuery();
    if (query != null && query.startsWith("wait=") && query.endsWith("s")) {
      wait = Duration.ofSeconds(Long.parseLong(query.substring(5, query.length() - 1)));
    }
    FakeRun run = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (run == null) {
      send(ex, 204, "application/json", null);
      return;
    }
    json(ex, 200, grant(run, false));
  }

  private void batchLease(HttpExchange ex, byte[] body) throws Exception {
    batchLeaseCalls.incrementAndGet();
    leasePolls.incrementAndGet();
    BatchLeaseRequest req = JSON.readValue(body, BatchLeaseRequest.class);
    Duration wait = Duration.ZERO;
    String query = ex.getRequestURI().getQuery();
    if (query != null && query.startsWith("wait=") && query.endsWith("s")) {
      wait = Duration.ofSeconds(Long.parseLong(query.substring(5, query.length() - 1)));
    }
    FakeRun first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (first == null) {
      send(ex, 204, "application/json", null);
      return;
    }
    List<LeaseResponse> leases = new ArrayList<>();
    leases.add(grant(first, Boolean.TRUE.equals(req.start())));
    int max = req.max() == null ? 1 : req.max();
    for (FakeRun more; leases.size() < max && (more = queue.poll()) != null; ) {
      leases.add(grant(more, Boolean.TRUE.equals(req.start())));
    }
    json(ex, 200, new BatchLeaseResponse(leases));
  }

  private LeaseResponse grant(FakeRun run, boolean started) {
    synchronized (run) {
      run.attemptNo++;
      run.leaseToken = UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
      run.status = started ? "running" : "leased";
      run.expiresAt = Instant.now().plus(ttl);
      if (started) {
        run.started.countDown();
      }
    }
    return LeaseResponse.builder()
        .runId(run.runId)
        .runNo(run.runNo)
        .appId(1)
        .appSlug(run.appSlug)
        .versionNo(run.versionNo)
        .entrypoint(run.entrypoint)
        .timeoutSeconds(run.timeoutSeconds)
        .input(run.input)
        .attemptId(run.runId * 10 + run.attemptNo)
        .attemptNo(run.attemptNo)
        .leaseToken(run.leaseToken)
        .leaseExpiresAt(WireTime.format(run.expiresAt))
        .teamSlug("team")
        .artifactSha256(run.shaInLease || shaInLease ? Sha256.hex(run.artifact) : null)
        .importPaths(run.importPathsInLease ? run.importPaths : null)
        .started(started ? Boolean.TRUE : null)
        .build();
  }

  private AttemptView view(FakeRun run) {
    return new AttemptView(
        run.runId * 10 + run.attemptNo,
        run.attemptNo,
        run.status,
        WireTime.format(run.expiresAt),
        run.cancelRequested,
        run.status.equals("cancelling") ? "cancelling" : run.status,
        null);
  }

  private void start(HttpExchange ex, FakeRun run) throws IOException {
    synchronized (run) {
      if (run.cancelRequested) {
        run.status = "cancelling";
      } else if (run.status.equals("leased")) {
        run.status = "running";
      }
      run.started.countDown();
    }
    json(ex, 200, view(run));
  }

  private void heartbeat(HttpExchange ex, FakeRun run) throws IOException {
    run.heartbeats.incrementAndGet();
    Integer override = run.heartbeatStatus;
    if (override != null) {
      error(ex, override, override == 410 ? "gone" : "internal", "scripted");
      return;
    }
    json(ex, 200, beat(run));
  }

  private AttemptView beat(FakeRun run) {
    synchronized (run) {
      run.expiresAt = Instant.now().plus(ttl);
      if (run.cancelRequested) {
        run.status = "cancelling";
      }
      return view(run);
    }
  }

  private void batchHeartbeat(HttpExchange ex, byte[] body) throws IOException {
    if (!batchSupported) {
      send(ex, 404, "text/plain", "404 page not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    batchHeartbeats.incrementAndGet();
    HeartbeatBatchRequest req = JSON.readValue(body, HeartbeatBatchRequest.class);
    List<HeartbeatBatchResponse.Item> items = new ArrayList<>();
    for (HeartbeatBatchRequest.Lease l : req.leases()) {
      FakeRun run = runs.get(l.runId());
      if (run == null
          || !l.leaseToken().equals(run.leaseToken)
          || !run.live()
          || run.heartbeatStatus != null) {
        items.add(new HeartbeatBatchResponse.Item(l.runId(), null, "gone"));
      } else {
        run.heartbeats.incrementAndGet();
        items.add(new HeartbeatBatchResponse.Item(l.runId(), beat(run), null));
      }
    }
    json(ex, 200, new HeartbeatBatchResponse(items));
  }

  private void logs(HttpExchange ex, FakeRun run, byte[] body) throws IOException {
    LogBatch batch = JSON.readValue(body, LogBatch.class);
    if (batch.logs() != null && batch.logs().size() > LogEntry.MAX_BATCH) {
      error(ex, 400, "invalid_request", "max 100 logs per batch");
      return;
    }
    for (LogEntry e : batch.logs() == null ? List.<LogEntry>of() : batch.logs()) {
      if (e.line().getBytes(StandardCharsets.UTF_8).length > LogEntry.MAX_LINE_BYTES) {
        run.rejectedBatches.incrementAndGet();
        error(ex, 400, "invalid_request", "log line exceeds 8KB");
        return;
      }
    }
    if (run.failLogPosts.getAndDecrement() > 0) {
      // Store, then lose the answer: the agent must resend the same seqs.
      store(run, batch);
      error(ex, 500, "internal", "scripted failure");
      return;
    }
    store(run, batch);
    json(ex, 200, Map.of("status", "ok"));
  }

  private void store(FakeRun run, LogBatch batch) {
    for (LogEntry e : batch.logs() == null ? List.<LogEntry>of() : batch.logs()) {
      if (run.logs.putIfAbsent(e.seq(), e) != null) {
        run.duplicateLogs.incrementAndGet();
      }
    }
  }

  private void result(HttpExchange ex, FakeRun run, byte[] body) throws IOException {
    ResultRequest req = JSON.readValue(body, ResultRequest.class);
    if (req.next() != null && !nextOffered) {
      // A server of this repo from before "next": its strict reader refuses the field.
      error(ex, 400, "invalid_request", "malformed JSON body: unknown field 'next'");
      return;
    }
    run.resultPosts.add(req);
    synchronized (run) {
      if (run.result != null) {
        if (run.result.status().equals(req.status())) {
          json(ex, 200, Map.of("status", "ok"));
        } else {
          error(ex, 409, "conflict", "result conflicts with attempt state");
        }
        return;
      }
      if (run.status.equals("cancelling") && !req.status().equals("cancelled")) {
        error(ex, 409, "conflict", "result conflicts with attempt state");
        return;
      }
      run.result = req;
      run.status = req.status();
    }
    if (run.failResultPosts.getAndDecrement() > 0) {
      error(ex, 500, "internal", "scripted failure after commit");
      return;
    }
    if (req.next() != null) {
      List<LeaseResponse> leases = new ArrayList<>();
      int max = req.next().max() == null ? 1 : req.next().max();
      for (FakeRun more; leases.size() < max && (more = queue.poll()) != null; ) {
        leases.add(grant(more, Boolean.TRUE.equals(req.next().start())));
      }
      json(ex, 200, ResultResponse.withLeases(leases));
      return;
    }
    json(ex, 200, Map.of("status", "ok"));
  }

  private void artifact(HttpExchange ex, FakeRun run) throws Exception {
    String sha = Sha256.hex(run.artifact);
    ex.getResponseHeaders()
        .add(RunnerProtocol.ARTIFACT_SHA_HEADER, run.shaOverride != null ? run.shaOverride : sha);
    ex.getResponseHeaders().add(RunnerProtocol.ENTRYPOINT_HEADER, run.entrypoint);
    if (run.timeoutSeconds != null) {
      ex.getResponseHeaders().add(RunnerProtocol.TIMEOUT_HEADER, run.timeoutSeconds.toString());
    }
    if (!run.importPaths.isEmpty()) {
      ex.getResponseHeaders()
          .add(RunnerProtocol.IMPORT_PATHS_HEADER, JSON.writeValueAsString(run.importPaths));
    }
    send(ex, 200, "application/gzip", run.artifact);
  }

  private void json(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    byte[] withNewline = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withNewline, 0, bytes.length);
    withNewline[bytes.length] = '\n';
    send(ex, status, "application/json", withNewline);
  }

  private void error(HttpExchange ex, int status, String code, String message) throws IOException {
    ObjectNode err = JSON.createObjectNode();
    err.putObject("error").put("code", code).put("message", message);
    json(ex, status, err);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
