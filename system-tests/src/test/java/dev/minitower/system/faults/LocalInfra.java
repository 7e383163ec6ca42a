package dev.minitower.system.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PRIVATE PostgreSQL or Kafka broker started with deploy/local (pg.sh, kafka.sh) under its own
 * MTW_HOME and port, so that a scenario can stop it hard without touching the shared stack.
 */
public final class LocalInfra implements AutoCloseable {
  private final String script;
  private final Path home;
  public final int port;
  private final Map<String, String> env;

  private LocalInfra(String script, Path home, int port, Map<String, String> env) {
    this.script = script;
    this.home = home;
    this.port = port;
    this.env = env;
  }

  /** A private PostgreSQL cluster (database and role as deploy/local: minitower/minitower). */
  public static LocalInfra postgres() throws IOException {
    Path home = Files.createTempDirectory("mt-pg-");
    int port = Sys.freePort();
    return new LocalInfra(
        "pg.sh",
        home,
        port,
        Map.of(
            "MTW_HOME",
            home.toString(),
            "MTW_PG_PORT",
            Integer.toString(port),
            "MTW_PG_FAST",
            "1",
            "MTW_DB_NAME",
            "minitower",
            "MTW_DB_USER",
            Sys.DB_USER,
            "MTW_DB_PASSWORD",
            Sys.DB_PASSWORD));
  }

  /** A private single-node KRaft broker (its controller listens on port + 1). */
  public static LocalInfra kafka() throws IOException {
    Path home = Files.createTempDirectory("mt-kafka-");
    int port = twoFreePorts();
    return new LocalInfra(
        "kafka.sh",
        home,
        port,
        // Explicit controller port: ./mtw test exports the shared test broker's one.
        Map.of(
            "MTW_HOME", home.toString(),
            "MTW_KAFKA_PORT", Integer.toString(port),
            "MTW_KAFKA_CONTROLLER_PORT", Integer.toString(port + 1)));
  }

  public LocalInfra start() {
    Sys.sh(env, Sys.root().resolve("deploy/local/" + script).toString(), "start");
    return this;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/minitower";
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** PostgreSQL: {@code pg_ctl stop -m immediate} (no checkpoint, like a crash). */
  public void crashPostgres() {
    String pgbin =
        Sys.sh(Map.of(), "sh", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1").trim();
    Sys.sh(
        Map.of(),
        "sh",
        "-c",
        "cd / && runuser -u postgres -- "
            + pgbin
            + "/pg_ctl -D "
            + home.resolve("pg/data")
            + " -m immediate -w stop");
  }

  /** Kafka: SIGKILL the broker (its pid file from kafka.sh). */
  public void killKafka() throws IOException, InterruptedException {
    long pid = Long.parseLong(Files.readString(home.resolve("kafka/kafka.pid")).trim());
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.destroyForcibly();
              p.onExit().join();
            });
  }

  @Override
  public void close() {
    try {
      Sys.sh(env, Sys.root().resolve("deploy/local/" + script).toString(), "stop");
    } catch (RuntimeException e) {
      System.err.println(script + " stop: " + e.getMessage());
    }
    try (Stream<Path> s = Files.walk(home)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cleanup " + home + ": " + e);
    }
  }

  private static int twoFreePorts() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p = Sys.freePort();
      try (ServerSocket s = new ServerSocket(p + 1)) {
        return p;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IOException("no two consecutive free ports");
  }
}
