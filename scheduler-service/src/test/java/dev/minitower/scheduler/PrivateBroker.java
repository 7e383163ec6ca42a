package dev.minitower.scheduler;

import dev.minitower.model.event.EventTopics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A second, private Kafka broker started with the project's own {@code deploy/local/kafka.sh} (its
 * own MTW_HOME and ports), so a test can stop and restart it. The shared broker on 19092 and the
 * one {@code ./mtw test} starts are never touched.
 */
public class PrivateBroker implements QuarkusTestResourceLifecycleManager {
  private static final int[] PORTS = {19392, 19492, 19592, 19692};
  private static Path home;
  private static int port;

  @Override
  public Map<String, String> start() {
    IllegalStateException last = null;
    // Another process may take a "free" port pair between the check and the bind: try the next.
    for (int candidate : PORTS) {
      if (!free(candidate) || !free(candidate + 1)) {
        continue;
      }
      try {
        port = candidate;
        home = Files.createTempDirectory("mtw-scheduler-broker-");
        run("start");
        createTopics();
        return Map.of("kafka.bootstrap.servers", bootstrap());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (IllegalStateException e) {
        last = e;
        stop();
        home = null;
      }
    }
    throw last != null
        ? last
        : new IllegalStateException("no free port pair for the private broker");
  }

  @Override
  public void stop() {
    if (home == null || !Files.isDirectory(home)) {
      return;
    }
    stopBroker();
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        // leftovers in /tmp are harmless
      }
    }
  }

  /** The event topics up front, so the relay does not wait for auto-creation on a busy machine. */
  private static void createTopics() {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(EventTopics.RUN_EVENTS, 3, (short) 1),
                  new NewTopic(EventTopics.RUNNER_EVENTS, 3, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create the event topics", e);
    }
  }

  public static String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** Stops the private broker (SIGTERM, as an outage). */
  public static void stopBroker() {
    run("stop");
  }

  /** Starts it again with the same data; returns when it is ready. */
  public static void startBroker() {
    run("start");
  }

  private static boolean free(int p) {
    try (ServerSocket s = new ServerSocket(p)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(String command) {
    Path script = repoRoot().resolve("deploy/local/kafka.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), command);
    pb.environment().put("MTW_HOME", home.toString());
    pb.environment().put("MTW_KAFKA_PORT", Integer.toString(port));
    pb.environment().remove("MTW_KAFKA_CONTROLLER_PORT");
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("kafka-sh.log").toFile()));
    try {
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "kafka.sh " + command + " failed: " + Files.readString(home.resolve("kafka-sh.log")));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/local/kafka.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("deploy/local/kafka.sh not found above the working dir");
    }
    return dir;
  }
}
