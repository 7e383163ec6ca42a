package dev.minitower.cli.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.Terminal;
import dev.minitower.cli.Version;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.ProgressBar;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The api-service client: JSON in and out, the error envelope turned into a {@link CliException}
 * with the exit code of docs/spec/towerfile-and-runner.md §4.5. One instance per command
 * invocation.
 */
public final class ApiClient {
  /** Every ordinary request; the original CLI used the same limit. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Uploads may be large (the server accepts 100 MiB); the 30 s limit of the original made big
   * deploys over slow links fail, so uploads only bound the wait for the response headers loosely.
   */
  static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(15);

  private static final HttpClient SHARED =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(REQUEST_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** Total tries of a retryable request, and the pause before each retry. */
  static final List<Duration> RETRY_BACKOFF =
      List.of(Duration.ofMillis(250), Duration.ofSeconds(1));

  private final HttpClient http;
  private final String server;
  private final String token;
  private final Terminal.Sleeper sleeper;

  /**
   * @param server base URL without trailing slash
   * @param token bearer token, or {@code null} for the unauthenticated login call
   * @param sleeper pauses between retries of safe requests; {@code null} disables retries
   */
  public ApiClient(String server, String token, Terminal.Sleeper sleeper) {
    this(SHARED, server, token, sleeper);
  }

  ApiClient(HttpClient http, String server, String token, Terminal.Sleeper sleeper) {
    this.http = http;
    this.server = server;
    this.token = token;
    this.sleeper = sleeper;
  }

  /** Encodes one path segment (app slugs come from user input). */
  public static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code path?k=v&…} with empty values left out. */
  public static String withQuery(String path, Map<String, ?> query) {
    String q =
        query.entrySet().stream()
            .filter(e -> e.getValue() != null && !e.getValue().toString().isEmpty())
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return q.isEmpty() ? path : path + "?" + q;
  }

  /**
   * The client API's records ({@code dev.minitower.model.api}, shared with api-service) as request
   * bodies: fields left null are not sent, as the server treats an absent field.
   */
  private static final ObjectMapper RECORDS =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A request record as the JSON body to send (nulls omitted). */
  public static ObjectNode body(Record request) {
    return RECORDS.valueToTree(request);
  }

  /**
   * A response read as its record. Fields a newer server adds are ignored; the raw tree stays what
   * {@code --json} prints.
   */
  public static <T extends Record> T as(JsonNode response, Class<T> type) {
    try {
      return RECORDS.treeToValue(response, type);
    } catch (JsonProcessingException e) {
      throw new CliException(
          "unexpected response from the server: " + e.getOriginalMessage(),
          "bad_response",
          ExitCodes.ERROR);
    }
  }

  /** GET; retried on transient failures (it changes nothing). */
  public JsonNode get(String path) {
    return sendWithRetries(builder(path, REQUEST_TIMEOUT).GET().build());
  }

  /** DELETE; not retried (a repeat after a lost answer would report 404). */
  public JsonNode delete(String path) {
    return send(builder(path, REQUEST_TIMEOUT).DELETE().build());
  }

  /** PUT with a JSON body; retried on transient failures (a PUT replaces, so a repeat is safe). */
  public JsonNode put(String path, JsonNode body) {
    return sendWithRetries(
        builder(path, REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JsonOutput.compact(body)))
            .build());
  }

  /** POST with a JSON body ({@code null}: no body); not retried. */
  public JsonNode post(String path, JsonNode body) {
    return send(postRequest(path, body, null));
  }

  /**
   * POST that is safe to repeat: either idempotent by nature (cancel) or made so by an {@code
   * Idempotency-Key} the server deduplicates on (run creation), so a lost answer or a replica
   * restart never creates a second run.
   */
  public JsonNode postRetryable(String path, JsonNode body, String idempotencyKey) {
    return sendWithRetries(postRequest(path, body, idempotencyKey));
  }

  private HttpRequest postRequest(String path, JsonNode body, String idempotencyKey) {
    HttpRequest.Builder b = builder(path, REQUEST_TIMEOUT);
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    if (body == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JsonOutput.compact(body)));
    }
    return b.build();
  }

  private JsonNode sendWithRetries(HttpRequest req) {
    for (int attempt = 0; ; attempt++) {
      try {
        return send(req);
      } catch (CliException e) {
        if (sleeper == null || attempt >= RETRY_BACKOFF.size() || !isTransient(e)) {
          throw e;
        }
      }
      try {
        sleeper.sleep(RETRY_BACKOFF.get(attempt));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted", "interrupted", ExitCodes.ERROR, ie);
      }
    }
  }

  /** Network failures and gateway/unavailable answers: worth another try. */
  public static boolean isTransient(CliException e) {
    if (e instanceof ApiException a) {
      return a.status() == 502 || a.status() == 503 || a.status() == 504;
    }
    return "network".equals(e.code());
  }

  /**
   * Multipart upload of one file part named {@code artifact}; {@code progress} (may be null) is
   * advanced as the request body is consumed.
   */
  public JsonNode uploadArtifact(
      String path, String filename, byte[] content, ProgressBar progress) {
    String boundary = "minitower-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"artifact\"; filename=\""
                + filename.replace("\"", "_")
                + "\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    long length = (long) head.length + content.length + tail.length;
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(
                () -> {
                  InputStream all =
                      new SequenceInputStream(
                          Collections.enumeration(
                              List.of(
                                  new ByteArrayInputStream(head),
                                  new ByteArrayInputStream(content),
                                  new ByteArrayInputStream(tail))));
                  return progress == null ? all : new CountingStream(all, progress);
                }),
            length);
    HttpRequest req =
        builder(path, UPLOAD_TIMEOUT)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(body)
            .build();
    try {
      return send(req);
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
  }

  private HttpRequest.Builder builder(String path, Duration timeout) {
    URI uri;
    try {
      uri = URI.create(server + path);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid server URL \"" + server + "\": " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw CliException.usage("invalid server URL \"" + server + "\": must start with http(s)://");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", "minitower-cli/" + Version.get());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private JsonNode send(HttpRequest req) {
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new CliException(
          "request to " + req.uri() + " timed out", "network", ExitCodes.ERROR, e);
    } catch (ConnectException e) {
      String why = e.getMessage();
      if (why == null && e.getCause() != null) {
        why = e.getCause().getMessage();
      }
      throw new CliException(
          "cannot connect to " + server + ": " + (why == null ? "connection refused" : why),
          "network",
          ExitCodes.ERROR,
          e);
    } catch (IOException e) {
      throw new CliException(
          "request to " + req.uri() + " failed: " + e, "network", ExitCodes.ERROR, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", "interrupted", ExitCodes.ERROR, e);
    }
    int status = resp.statusCode();
    String body = resp.body() == null ? "" : resp.body();
    if (status >= 200 && status < 300) {
      if (body.isBlank()) {
        return null;
      }
      try {
        return JsonOutput.parse(body);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            "unexpected response from server (not JSON): " + abbreviate(body),
            "bad_response",
            ExitCodes.ERROR);
      }
    }
    throw errorFor(status, body);
  }

  /** Maps an error response: envelope message and code when present, else the raw body. */
  static CliException errorFor(int status, String body) {
    int exit = ExitCodes.forHttpStatus(status);
    try {
      JsonNode n = JsonOutput.parse(body);
      JsonNode err = n == null ? null : n.get("error");
      if (err != null && err.isObject() && err.hasNonNull("message")) {
        String code = err.hasNonNull("code") ? err.get("code").asText() : "http_" + status;
        return new ApiException(status, err.get("message").asText(), code, exit);
      }
    } catch (IllegalArgumentException notJson) {
      // fall through to the raw body
    }
    String text = body.isBlank() ? statusText(status) : abbreviate(body);
    return new ApiException(status, text, "http_" + status, exit);
  }

  private static String abbreviate(String body) {
    String oneLine = body.strip().replaceAll("\\s*\\R\\s*", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }

  private static final Map<Integer, String> REASONS = new LinkedHashMap<>();

  static {
    REASONS.put(400, "Bad Request");
    REASONS.put(401, "Unauthorized");
    REASONS.put(403, "Forbidden");
    REASONS.put(404, "Not Found");
    REASONS.put(405, "Method Not Allowed");
    REASONS.put(409, "Conflict");
    REASONS.put(410, "Gone");
    REASONS.put(413, "Request Entity Too Large");
    REASONS.put(500, "Internal Server Error");
    REASONS.put(502, "Bad Gateway");
    REASONS.put(503, "Service Unavailable");
    REASONS.put(504, "Gateway Timeout");
  }

  static String statusText(int status) {
    return "HTTP " + status + reason(status);
  }

  private static String reason(int status) {
    String r = REASONS.get(status);
    return r == null ? "" : " " + r;
  }

  /** Counts bytes as the HTTP client pulls the request body. */
  private static final class CountingStream extends FilterInputStream {
    private final ProgressBar progress;

    CountingStream(InputStream in, ProgressBar progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        progress.advance(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, Math.min(len, 64 * 1024));
      if (n > 0) {
        progress.advance(n);
      }
      return n;
    }
  }
}
