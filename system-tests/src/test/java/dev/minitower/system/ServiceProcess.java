package dev.minitower.system;

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

/** One packaged MiniTower service ({@code target/quarkus-app}) running as its own process. */
final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String module;
  final int port;

  /** Where {@code /ready}, {@code /health} and {@code /metrics} are: never the public port. */
  final int managementPort;

  final Path log;
  private final Process process;

  private ServiceProcess(String module, int port, int managementPort, Path log, Process process) {
    this.module = module;
    this.port = port;
    this.managementPort = managementPort;
    this.log = log;
    this.process = process;
  }

  static ServiceProcess start(String module, String jdbcUrl, Map<String, String> extraEnv)
      throws IOException {
    Path jar = TestStack.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("not packaged: " + jar + " (run mvn package first)");
    }
    int port = TestStack.freePort();
    int managementPort = TestStack.freePort();
    Path log = Files.createTempFile("minitower-" + module + "-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = new HashMap<>();
    env.put("MINITOWER_HTTP_PORT", Integer.toString(port));
    env.put("MINITOWER_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("MINITOWER_DB_URL", jdbcUrl);
    env.put("MINITOWER_DB_USER", TestStack.DB_USER);
    env.put("MINITOWER_DB_PASSWORD", TestStack.DB_PASSWORD);
    env.put("MINITOWER_KAFKA_BOOTSTRAP", TestStack.KAFKA);
    env.put("MINITOWER_RUNNER_REGISTRATION_TOKEN", "runner-secret");
    env.putAll(extraEnv);
    pb.environment().putAll(env);
    return new ServiceProcess(module, port, managementPort, log, pb.start());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** GET a path of the public port; -1 when nothing answers. */
  int status(String path) {
    return statusOf(baseUrl() + path);
  }

  /**
   * GET a path of the management port ({@code /ready}, {@code /metrics}); -1 when nothing answers.
   */
  int managementStatus(String path) {
    return statusOf(managementUrl() + path);
  }

  private static int statusOf(String url) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
      return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
