package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs deploy/demo.sh against a stand-in of api-service (JDK HTTP server answering the few calls
 * the script makes), so the script's curl calls, JSON scraping and packaging are exercised without
 * the real stack: the upload must be a multipart tar.gz holding the example at its root.
 */
class DemoScriptRunTest {
  private HttpServer server;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> runInputs = Collections.synchronizedList(new ArrayList<>());
  private volatile byte[] upload;
  private volatile String uploadContentType;
  private final AtomicInteger runIds = new AtomicInteger(100);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    byte[] body = ex.getRequestBody().readAllBytes();
    String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
    calls.add(method + " " + path);
    int status = 404;
    String json = "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\"}}";
    if (method.equals("GET") && path.equals("/api/v1/auth/options")) {
      status = 200;
      json = "{\"signup_enabled\":true,\"bootstrap_enabled\":true}";
    } else if (method.equals("POST") && path.equals("/api/v1/bootstrap/team")) {
      status = auth.equals("Bearer dev") ? 201 : 401;
      json =
          "{\"team_id\":1,\"slug\":\"demo\",\"name\":\"Demo Team\",\"token\":\"mtk_demo-Token_1\"}";
    } else if (!auth.equals("Bearer mtk_demo-Token_1")) {
      status = 401;
      json = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"invalid or missing token\"}}";
    } else if (method.equals("POST") && path.equals("/api/v1/apps")) {
      status = 201;
      json = "{\"app_id\":1,\"slug\":\"hello-python\",\"disabled\":false}";
    } else if (method.equals("POST") && path.equals("/api/v1/apps/hello-python/versions")) {
      upload = body;
      uploadContentType = ex.getRequestHeaders().getFirst("Content-Type");
      status = 201;
      json = "{\"version_id\":7,\"version_no\":3,\"entrypoint\":\"./main.py\"}";
    } else if (method.equals("POST") && path.equals("/api/v1/apps/hello-python/runs")) {
      runInputs.add(new String(body, StandardCharsets.UTF_8));
      status = 201;
      json =
          "{\"run_id\":"
              + runIds.incrementAndGet()
              + ",\"app_id\":1,\"run_no\":1,\"status\":\"queued\"}";
    } else if (method.equals("GET") && path.startsWith("/api/v1/runs/")) {
      status = 200;
      json =
          "{\"run_id\":"
              + path.substring(13)
              + ",\"app_slug\":\"hello-python\",\"status\":\"completed\"}";
    }
    byte[] out = (json + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  @Test
  void bootstrapsDeploysAndRunsAgainstTheApi() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", Repo.path("deploy/demo.sh").toString())
            .redirectErrorStream(true);
    pb.environment().put("MINITOWER_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    pb.environment().put("BATCH_SIZE", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("deployed version 3", "all runs finished");

    assertThat(calls)
        .containsSubsequence(
            "GET /api/v1/auth/options",
            "POST /api/v1/bootstrap/team",
            "POST /api/v1/apps",
            "POST /api/v1/apps/hello-python/versions",
            "POST /api/v1/apps/hello-python/runs",
            "GET /api/v1/runs/101");
    assertThat(runInputs)
        .hasSize(3)
        .allMatch(b -> b.matches("\\{\"input\":\\{\"name\":\"run-\\d+\",\"count\":[1-3]\\}\\}"));

    assertThat(uploadContentType).startsWith("multipart/form-data; boundary=");
    String boundary = uploadContentType.substring(uploadContentType.indexOf("boundary=") + 9);
    String head = new String(upload, 0, Math.min(upload.length, 400), StandardCharsets.ISO_8859_1);
    assertThat(head).contains("name=\"artifact\"");
    int start = head.indexOf("\r\n\r\n") + 4;
    int end = new String(upload, StandardCharsets.ISO_8859_1).lastIndexOf("\r\n--" + boundary);
    byte[] tarGz = java.util.Arrays.copyOfRange(upload, start, end);
    assertThat(tarEntries(tarGz)).contains("Towerfile", "main.py", "lib/greeting.py");
  }

  /** Entry names of a tar.gz (ustar headers: name at 0..100, size in octal at 124..136). */
  private static List<String> tarEntries(byte[] tarGz) throws IOException {
    byte[] tar;
    try (var in = new GZIPInputStream(new ByteArrayInputStream(tarGz))) {
      tar = in.readAllBytes();
    }
    List<String> names = new ArrayList<>();
    int pos = 0;
    while (pos + 512 <= tar.length && tar[pos] != 0) {
      String name = new String(tar, pos, 100, StandardCharsets.UTF_8).replace("\0", "");
      String prefix = new String(tar, pos + 345, 155, StandardCharsets.UTF_8).replace("\0", "");
      String size =
          new String(tar, pos + 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
      long length = size.isEmpty() ? 0 : Long.parseLong(size, 8);
      names.add((prefix.isEmpty() ? "" : prefix + "/") + name.replaceFirst("/$", ""));
      pos += 512 + (int) ((length + 511) / 512 * 512);
    }
    return names;
  }
}
