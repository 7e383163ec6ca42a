package dev.minitower.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON-over-HTTP client: every call answers status and body, never throws on 4xx/5xx. */
public final class Http {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private Http() {}

  /**
   * One answer. {@code status} is -1 when nothing answered (connection refused, reset, timeout).
   */
  public record Res(int status, byte[] bytes, HttpResponse<byte[]> raw) {
    public String body() {
      return bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + status + "): " + body(), e);
      }
    }

    public String errorCode() {
      try {
        return JSON.readTree(bytes).at("/error/code").asText(null);
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      String b = body();
      return status + " " + (b.length() > 600 ? b.substring(0, 600) + "…" : b);
    }
  }

  public static HttpRequest.Builder req(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
  }

  public static Res send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Res(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      return new Res(-1, e.toString().getBytes(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Res(-1, e.toString().getBytes(), null);
    }
  }

  /** POST {@code body} (null = empty) with an optional bearer token and header pairs. */
  public static Res post(String url, String bearer, String body, String... headers) {
    return post(url, bearer, body == null ? new byte[0] : body.getBytes(), headers);
  }

  public static Res post(String url, String bearer, byte[] body, String... headers) {
    HttpRequest.Builder b =
        req(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return send(auth(b, bearer, headers).build());
  }

  public static Res get(String url, String bearer, String... headers) {
    return send(auth(req(url).GET(), bearer, headers).build());
  }

  public static Res delete(String url, String bearer) {
    return send(auth(req(url).DELETE(), bearer).build());
  }

  static HttpRequest.Builder auth(HttpRequest.Builder b, String bearer, String... headers) {
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  public static String q(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
