package dev.minitower.agent.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.model.runner.BatchLeaseRequest;
import dev.minitower.model.runner.CancelWatchRequest;
import dev.minitower.model.runner.HeartbeatBatchRequest;
import dev.minitower.model.runner.LogBatch;
import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.model.runner.ResultRequest;
import dev.minitower.model.runner.RunnerProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runner protocol over HTTP/1.1. Every call carries {@code Authorization: Bearer <runner
 * token>}; lease-scoped calls add {@code X-Lease-Token}. Calls never throw: a missing answer is a
 * {@link Reply} with status 0, so callers decide about retries in one place.
 */
public final class RunnerClient {
  public static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The original's per-request timeout. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final HttpClient http;
  private final AtomicReference<String> runnerToken = new AtomicReference<>();

  public RunnerClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public void useRunnerToken(String token) {
    runnerToken.set(token);
  }

  public String runnerToken() {
    return runnerToken.get();
  }

  /** {@code POST /api/v1/runners/register} with the registration token. */
  public Reply register(String registrationToken, RegisterRequest body) {
    return send(
        post(RunnerProtocol.REGISTER, body, REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + registrationToken)
            .build());
  }

  /** {@code POST /api/v1/runs/lease[?wait=Ns]}: 200 lease, 204 no work. */
  public Reply lease(Duration wait) {
    String path = RunnerProtocol.LEASE;
    if (!wait.isZero()) {
      path += "?wait=" + wait.toSeconds() + "s";
    }
    return send(
        authorized(
                HttpRequest.newBuilder(uri(path))
                    .timeout(wait.plus(REQUEST_TIMEOUT))
                    .POST(HttpRequest.BodyPublishers.noBody()))
            .build());
  }

  /**
   * {@code POST /api/v1/runners/lease[?wait=Ns]} (addition): up to {@code max} leases, started when
   * {@code start}. 200 leases, 204 no work; 404/405 from a server without it (the original).
   */
  public Reply leaseBatch(int max, boolean start, Duration wait) {
    String path = RunnerProtocol.BATCH_LEASE;
    if (!wait.isZero()) {
      path += "?wait=" + wait.toSeconds() + "s";
    }
    return send(
        authorized(
                post(
                    path,
                    new BatchLeaseRequest(max, start ? Boolean.TRUE : null),
                    wait.plus(REQUEST_TIMEOUT)))
            .build());
  }

  /** {@code POST /api/v1/runners/cancels?wait=Ns} (addition): the cancel push. */
  public Reply cancels(List<Long> ignore, Duration wait) {
    return send(
        authorized(
                post(
                    RunnerProtocol.CANCELS + "?wait=" + wait.toMillis() + "ms",
                    new CancelWatchRequest(ignore),
                    wait.plus(REQUEST_TIMEOUT)))
            .build());
  }

  public Reply start(long runId, String leaseToken) {
    return send(leased(post(RunnerProtocol.start(runId), null, REQUEST_TIMEOUT), leaseToken));
  }

  public Reply heartbeat(long runId, String leaseToken, Duration timeout) {
    return send(leased(post(RunnerProtocol.heartbeat(runId), null, timeout), leaseToken));
  }

  public Reply heartbeatBatch(HeartbeatBatchRequest body, Duration timeout) {
    return send(authorized(post(RunnerProtocol.BATCH_HEARTBEAT, body, timeout)).build());
  }

  public Reply logs(long runId, String leaseToken, LogBatch batch) {
    return send(leased(post(RunnerProtocol.logs(runId), batch, REQUEST_TIMEOUT), leaseToken));
  }

  public Reply result(long runId, String leaseToken, ResultRequest result) {
    return send(leased(post(RunnerProtocol.result(runId), result, REQUEST_TIMEOUT), leaseToken));
  }

  /**
   * {@code GET /api/v1/runs/{run}/artifact}: the caller reads and closes the body. The timeout
   * covers the response headers; the body is read under the run's own cancellation.
   */
  public HttpResponse<InputStream> artifact(long runId, String leaseToken)
      throws IOException, InterruptedException {
    HttpRequest request =
        authorized(
                HttpRequest.newBuilder(uri(RunnerProtocol.artifact(runId)))
                    .timeout(REQUEST_TIMEOUT)
                    .header(RunnerProtocol.LEASE_TOKEN_HEADER, leaseToken)
                    .GET())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  private HttpRequest.Builder post(String path, Object body, Duration timeout) {
    HttpRequest.BodyPublisher publisher;
    try {
      publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout).POST(publisher);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return b;
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    String token = runnerToken.get();
    return b.header("Authorization", "Bearer " + (token == null ? "" : token));
  }

  private HttpRequest leased(HttpRequest.Builder b, String leaseToken) {
    return authorized(b).header(RunnerProtocol.LEASE_TOKEN_HEADER, leaseToken).build();
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.noAnswer(e);
    } catch (IOException | RuntimeException e) {
      return Reply.noAnswer(e);
    }
  }
}
