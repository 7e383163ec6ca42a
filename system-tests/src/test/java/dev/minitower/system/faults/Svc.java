package dev.minitower.system.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged MiniTower service ({@code target/quarkus-app}) as its own process, which a fault
 * scenario can SIGKILL, freeze and restart on the same port.
 */
public final class Svc implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public final String module;
  public final int port;

  /** Where {@code /ready}, {@code /health} and {@code /metrics} are: never the public port. */
  public final int managementPort;

  public final Path log;
  private final Map<String, String> env;
  private Process process;

  private Svc(String module, int port, int managementPort, Path log, Map<String, String> env) {
    this.module = module;
    this.port = port;
    this.managementPort = managementPort;
    this.log = log;
    this.env = env;
  }

  /** Starts {@code module} on a free port against {@code jdbcUrl} and {@code kafka}. */
  public static Svc start(String module, String jdbcUrl, String kafka, Map<String, String> extra)
      throws IOException {
    Map<String, String> env = new HashMap<>();
    int port = Sys.freePort();
    int managementPort = Sys.freePort();
    env.put("MINITOWER_HTTP_PORT", Integer.toString(port));
    env.put("MINITOWER_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("MINITOWER_DB_URL", jdbcUrl);
    env.put("MINITOWER_DB_USER", Sys.DB_USER);
    env.put("MINITOWER_DB_PASSWORD", Sys.DB_PASSWORD);
    env.put("MINITOWER_KAFKA_BOOTSTRAP", kafka);
    env.put("MINITOWER_RUNNER_REGISTRATION_TOKEN", "runner-secret");
    env.putAll(extra);
    Svc s =
        new Svc(
            module, port, managementPort, Files.createTempFile("mt-" + module + "-", ".log"), env);
    s.launch();
    return s;
  }

  public static Svc start(String module, String jdbcUrl, Map<String, String> extra)
      throws IOException {
    return start(module, jdbcUrl, Sys.KAFKA, extra);
  }

  private void launch() throws IOException {
    Path jar = Sys.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("not packaged: " + jar + " (run mvn package first)");
    }
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
  }

  /** Starts the same service again on the same ports (after a kill). */
  public void restart() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(module + " still alive");
    }
    launch();
  }

  /**
   * Stops the service and starts it again on the same ports with {@code changes} applied to its
   * environment (a null value removes the variable).
   */
  public void restartWith(Map<String, String> changes) throws Exception {
    close();
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            env.remove(k);
          } else {
            env.put(k, v);
          }
        });
    launch();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  /** GET a path of the public port; -1 when nothing answers. */
  public int status(String path) {
    return statusOf(baseUrl() + path);
  }

  private static int statusOf(String url) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
      return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public boolean ready() {
    return statusOf(managementUrl() + "/ready") == 200;
  }

  public String logTail() {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
