package dev.minitower.system.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Capability;
import dev.minitower.system.faults.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.FixedHostPortGenericContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The whole stack in containers on one network, started in dependency order: PostgreSQL and Kafka,
 * the Flyway job (once, to completion), the three services (in parallel, until /ready), then one
 * runner agent with the security options its sandbox needs (docs/deploy.md "Runner sandbox"). Every
 * container is removed again by {@link #close()}, with its anonymous volumes; their logs are kept
 * in system-tests/target/containers/.
 */
final class Stack implements AutoCloseable {
  static final String BOOTSTRAP_TOKEN = "ct-bootstrap";
  static final String REGISTRATION_TOKEN = "ct-runner-secret";
  private static final String DB_PASSWORD = "ct-db-password";
  private static final Duration START = Duration.ofMinutes(4);

  /**
   * Every container and the network carry this label with MTW_CONTAINERS_RUN (set by ./mtw test),
   * so that a crashed run's leftovers are removed without touching another run's containers.
   */
  static final String RUN_LABEL = "dev.minitower.test-run";

  static final String RUN =
      System.getenv().getOrDefault("MTW_CONTAINERS_RUN", "pid-" + ProcessHandle.current().pid());

  final Network network;
  GenericContainer<?> postgres;
  GenericContainer<?> kafka;
  GenericContainer<?> migrate;
  GenericContainer<?> api;
  GenericContainer<?> runner;
  GenericContainer<?> scheduler;
  GenericContainer<?> agent;
  private final Map<String, GenericContainer<?>> started = new java.util.LinkedHashMap<>();
  private int kafkaPort;
  private KafkaConsumer<String, String> consumer;
  private final List<JsonNode> events = new ArrayList<>();

  private Stack(Network network) {
    this.network = network;
  }

  static Path root() {
    return Path.of(System.getProperty("minitower.root", "..")).toAbsolutePath().normalize();
  }

  static Stack start(Images images, Network network) throws IOException {
    Stack s = new Stack(network);
    try {
      s.startAll(images);
      return s;
    } catch (RuntimeException | Error | IOException e) {
      s.close();
      throw e;
    }
  }

  private void startAll(Images images) throws IOException {
    postgres =
        new GenericContainer<>(DockerImageName.parse(images.get("MTW_IMAGE_POSTGRES")))
            .withNetwork(network)
            .withLabel(RUN_LABEL, RUN)
            .withNetworkAliases("postgres")
            .withEnv("POSTGRES_DB", "minitower")
            .withEnv("POSTGRES_USER", "minitower")
            .withEnv("POSTGRES_PASSWORD", DB_PASSWORD)
            .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off")
            .withExposedPorts(5432)
            // TCP answers only once the final server runs (both images init on the socket only).
            .waitingFor(
                Wait.forSuccessfulCommand("pg_isready -q -h 127.0.0.1 -U minitower -d minitower")
                    .withStartupTimeout(START));
    kafkaPort = freePort();
    // The services reach the broker as kafka:9092; this JVM on the same port number as published.
    kafka =
        new FixedHostPortGenericContainer<>(images.get("MTW_IMAGE_KAFKA"))
            .withFixedExposedPort(kafkaPort, kafkaPort)
            .withNetwork(network)
            .withLabel(RUN_LABEL, RUN)
            .withNetworkAliases("kafka")
            .withEnv(kafkaEnv(kafkaPort))
            .waitingFor(
                Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(START));
    Startables.deepStart(postgres, kafka).join();
    started.put("postgres", postgres);
    started.put("kafka", kafka);

    migrate =
        new GenericContainer<>(DockerImageName.parse(images.get("MTW_IMAGE_FLYWAY")))
            .withNetwork(network)
            .withLabel(RUN_LABEL, RUN)
            .withCopyFileToContainer(
                MountableFile.forHostPath(
                    root().resolve("shared-model/src/main/resources/db/migration")),
                "/flyway/sql")
            .withCommand(
                "-url=jdbc:postgresql://postgres:5432/minitower",
                "-user=minitower",
                "-password=" + DB_PASSWORD,
                "-locations=filesystem:/flyway/sql",
                "-connectRetries=30",
                "migrate")
            .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(START));
    started.put("migrate", migrate);
    migrate.start();
    if (!migrate.getLogs().contains("Successfully applied")) {
      throw new IllegalStateException(
          "migration job did not apply the schema:\n" + migrate.getLogs());
    }

    api =
        service(images.get("MTW_IMAGE_API"), "api-service", 8080, 9080)
            .withEnv("MINITOWER_BOOTSTRAP_TOKEN", BOOTSTRAP_TOKEN);
    runner =
        service(images.get("MTW_IMAGE_RUNNER"), "runner-service", 8081, 9081)
            .withEnv("MINITOWER_RUNNER_REGISTRATION_TOKEN", REGISTRATION_TOKEN)
            .withEnv("MINITOWER_LEASE_TTL", "30s");
    scheduler =
        service(images.get("MTW_IMAGE_SCHEDULER"), "scheduler-service", 8082, 9082)
            .withEnv("MINITOWER_EXPIRY_CHECK_INTERVAL", "2s");
    started.put("api-service", api);
    started.put("runner-service", runner);
    started.put("scheduler-service", scheduler);
    Startables.deepStart(api, runner, scheduler).join();

    // Docker's API takes the profile itself; podman's (4.3) takes a path on the engine's host and
    // fails on the JSON ("file name too long").
    Path profile = root().resolve("k8s/base/runner-agent/seccomp.json");
    String seccomp = isPodman() ? profile.toString() : Files.readString(profile);
    agent =
        new GenericContainer<>(DockerImageName.parse(images.get("MTW_IMAGE_AGENT")))
            .withNetwork(network)
            .withLabel(RUN_LABEL, RUN)
            .withEnv("MINITOWER_SERVER_URL", "http://runner-service:8081")
            .withEnv("MINITOWER_RUNNER_NAME", "container-runner")
            .withEnv("MINITOWER_RUNNER_REGISTRATION_TOKEN", REGISTRATION_TOKEN)
            .withEnv("MINITOWER_POLL_INTERVAL", "1s")
            // The sandbox's needs, nothing more: its own /proc (the engine's masks off), a seccomp
            // profile that allows what bubblewrap does inside its namespaces, no capability at all.
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig()
                        .withSecurityOpts(
                            List.of(
                                "systempaths=unconfined",
                                "seccomp=" + seccomp,
                                "no-new-privileges"))
                        .withCapDrop(Capability.ALL))
            .waitingFor(
                Wait.forLogMessage(".*registered successfully.*", 1).withStartupTimeout(START));
    started.put("runner-agent", agent);
    agent.start();
  }

  /** The test's network, labelled like its containers. */
  static Network network() {
    return Network.builder()
        .createNetworkCmdModifier(cmd -> cmd.withLabels(Map.of(RUN_LABEL, RUN)))
        .build();
  }

  static boolean isPodman() {
    var components = DockerClientFactory.instance().client().versionCmd().exec().getComponents();
    return components != null
        && components.stream().anyMatch(c -> c.getName().toLowerCase().contains("podman"));
  }

  private GenericContainer<?> service(String image, String alias, int port, int management) {
    return new GenericContainer<>(DockerImageName.parse(image))
        .withNetwork(network)
        .withLabel(RUN_LABEL, RUN)
        .withNetworkAliases(alias)
        .withEnv("MINITOWER_DB_URL", "jdbc:postgresql://postgres:5432/minitower")
        .withEnv("MINITOWER_DB_USER", "minitower")
        .withEnv("MINITOWER_DB_PASSWORD", DB_PASSWORD)
        .withEnv("MINITOWER_KAFKA_BOOTSTRAP", "kafka:9092")
        .withEnv("MINITOWER_MIGRATE_AT_START", "false")
        .withEnv("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError")
        .withExposedPorts(port, management)
        .waitingFor(
            Wait.forHttp("/ready")
                .forPort(management)
                .forStatusCode(200)
                .withStartupTimeout(START));
  }

  private static Map<String, String> kafkaEnv(int external) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_NODE_ID", "1");
    env.put("KAFKA_PROCESS_ROLES", "broker,controller");
    env.put("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093,EXTERNAL://:" + external);
    env.put(
        "KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092,EXTERNAL://127.0.0.1:" + external);
    env.put("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
    env.put("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT");
    env.put(
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT");
    env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093");
    env.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    env.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
    env.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
    env.put("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1");
    env.put("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
    env.put("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    env.put("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");
    env.put("KAFKA_HEAP_OPTS", "-Xms128m -Xmx384m");
    return env;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String apiUrl() {
    return "http://" + api.getHost() + ":" + api.getMappedPort(8080);
  }

  /** Every run lifecycle event on the Kafka container so far (from the first offset). */
  synchronized List<JsonNode> events() {
    if (consumer == null) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      consumer = new KafkaConsumer<>(p);
    }
    if (consumer.assignment().isEmpty()) {
      List<PartitionInfo> info =
          consumer.partitionsFor("minitower.run-events", Duration.ofSeconds(5));
      if (info != null && !info.isEmpty()) {
        List<TopicPartition> parts = new ArrayList<>();
        info.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
      }
    }
    if (!consumer.assignment().isEmpty()) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(2))) {
        try {
          events.add(Http.JSON.readTree(r.value()));
        } catch (IOException e) {
          throw new IllegalStateException("not a JSON event at offset " + r.offset(), e);
        }
      }
    }
    return new ArrayList<>(events);
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
    }
    Path logs = root().resolve("system-tests/target/containers");
    List<String> names = new ArrayList<>(started.keySet());
    java.util.Collections.reverse(names);
    for (String name : names) {
      GenericContainer<?> c = started.get(name);
      try {
        if (c.getContainerId() != null) {
          Files.createDirectories(logs);
          Files.writeString(logs.resolve(name + ".log"), c.getLogs());
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("[containers] no log of " + name + ": " + e);
      }
      try {
        c.stop();
      } catch (RuntimeException e) {
        System.err.println("[containers] could not remove " + name + ": " + e);
      }
    }
    try {
      network.close();
    } catch (RuntimeException e) {
      System.err.println("[containers] could not remove the network: " + e);
    }
    System.out.println("[containers] container logs in " + logs);
  }
}
