package dev.minitower.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-process stand-in for api-service: routes are "METHOD /path" (query excluded) mapped to a
 * handler; every request is recorded. Unknown routes answer like the original's mux: 404 text.
 */
final class FakeApi implements AutoCloseable {
  record Request(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  record Response(int status, String body) {
    static Response json(int status, String body) {
      return new Response(status, body);
    }

    static Response error(int status, String code, String message) {
      return new Response(
          status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }
  }

  private final HttpServer server;
  private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeApi on(String methodAndPath, Function<Request, Response> handler) {
    routes.put(methodAndPath, handler);
    return this;
  }

  FakeApi on(String methodAndPath, int status, String body) {
    return on(methodAndPath, r -> new Response(status, body));
  }

  List<Request> requests(String methodAndPath) {
    return requests.stream()
        .filter(r -> (r.method() + " " + r.path()).equals(methodAndPath))
        .toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    Request req =
        new Request(
            ex.getRequestMethod(),
            ex.getRequestURI().getRawPath(),
            ex.getRequestURI().getRawQuery(),
            Map.copyOf(ex.getRequestHeaders()),
            body);
    requests.add(req);
    Function<Request, Response> h = routes.get(req.method() + " " + req.path());
    Response resp;
    try {
      resp = h == null ? new Response(404, "404 page not found\n") : h.apply(req);
    } catch (RuntimeException e) {
      resp = Response.error(500, "internal", "fake failed: " + e);
    }
    byte[] bytes = resp.body() == null ? new byte[0] : resp.body().getBytes(StandardCharsets.UTF_8);
    boolean json = resp.body() != null && resp.body().startsWith("{");
    ex.getResponseHeaders()
        .set("Content-Type", json ? "application/json" : "text/plain; charset=utf-8");
    if (bytes.length == 0) {
      ex.sendResponseHeaders(resp.status(), -1);
    } else {
      ex.sendResponseHeaders(resp.status(), bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
