package dev.minitower.system.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.system.faults.AgentProc;
import dev.minitower.system.faults.Api;
import dev.minitower.system.faults.Http;
import dev.minitower.system.faults.Stack;
import dev.minitower.system.faults.Svc;
import dev.minitower.system.faults.Sys;
import dev.minitower.system.faults.Tar;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Team secrets through the packaged services and the packaged agent (issue 20): a run receives
 * exactly the secrets its Towerfile names, prints them and its log shows only the mask; the value
 * is in no table ({@code pg_dump}), no Kafka event and no service or agent log; another team can
 * neither list, delete, overwrite nor receive them; a member cannot write; a rotated key still
 * decrypts and re-encryption leaves nothing under the old key id; a service without the key refuses
 * to start while secrets exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamSecretsIT {
  static final Duration RUN_BOUND = Duration.ofSeconds(120);
  static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "dead");

  /** Prints the secret as itself, in base64 and URL-encoded, and its SHA-256 (to prove receipt). */
  static final String PRINTER =
      """
      #!/bin/sh
      echo "plain=$API_TOKEN"
      echo "b64=$(printf %s "$API_TOKEN" | base64 -w0)"
      echo "url=$(python3 -c 'import os,urllib.parse;print(urllib.parse.quote_plus(os.environ["API_TOKEN"]))')"
      echo "sha=$(printf %s "$API_TOKEN" | sha256sum | cut -d' ' -f1)"
      echo "other=${OTHER_SECRET:-unset}"
      """;

  private final String registrationToken = "reg-" + UUID.randomUUID();
  private final String bootstrapToken = "boot-" + UUID.randomUUID();
  private final String key1 = newKey();
  private final String key2 = newKey();
  private final String value = "sv/" + UUID.randomUUID() + "+@ x";
  private final String valueB = "b-" + UUID.randomUUID();

  private Stack stack;
  private Svc api;
  private Svc runnerService;
  private AgentProc agent;
  private Api teamA;
  private Api teamB;

  @BeforeAll
  void startSystem() throws Exception {
    stack = Stack.fresh("mt_secrets");
    // Nothing here waits for a lease to expire: a 30 s TTL (Stack.FAST has 5 s) keeps a run whose
    // agent stalls for a few seconds on a loaded machine from ending dead instead of completed.
    // The scheduler gets the same TTL (it takes runners offline after twice its own).
    Map<String, String> keyed =
        Map.of(
            "MINITOWER_BOOTSTRAP_TOKEN", bootstrapToken,
            "MINITOWER_RUNNER_REGISTRATION_TOKEN", registrationToken,
            "MINITOWER_SECRETS_KEY", key1,
            "MINITOWER_LEASE_TTL", "30s");
    api = stack.add("api-service", keyed);
    runnerService = stack.add("runner-service", keyed);
    stack.add(
        "scheduler-service",
        Map.of(
            "MINITOWER_BOOTSTRAP_TOKEN", bootstrapToken,
            "MINITOWER_RUNNER_REGISTRATION_TOKEN", registrationToken,
            "MINITOWER_LEASE_TTL", "30s"));
    stack.awaitReady();
    Path data = Files.createTempDirectory("secrets").resolve("agent-data");
    agent =
        stack.agent(
            new AgentProc(
                    runnerService.baseUrl(),
                    "secrets-agent",
                    data,
                    Map.of(
                        "MINITOWER_RUNNER_REGISTRATION_TOKEN",
                        registrationToken,
                        "MINITOWER_PYTHON_BIN",
                        "/usr/bin/python3"))
                .start());
    teamA = Api.bootstrap(api.baseUrl(), bootstrapToken, "secrets-a", "a-password-1");
    teamB = Api.signup(api.baseUrl(), "secrets-b", "b-password-1");
  }

  @AfterAll
  void stopSystem() {
    if (stack != null) {
      stack.close();
    }
  }

  // ---------------------------------------------------------------- 1: delivered and masked

  @Test
  @Order(1)
  void aRunGetsItsSecretAndItsLogShowsOnlyTheMask() throws Exception {
    assertThat(put(teamA, "API_TOKEN", value).status()).isEqualTo(201);
    deploy(teamA, "printer", "[\"API_TOKEN\"]");
    long run = teamA.createRun("printer", "{}");
    assertThat(awaitTerminal(teamA, run)).as(diagnostics(teamA, run)).isEqualTo("completed");
    String logs = logs(teamA, run);
    System.out.println("----- log of run " + run + " -----\n" + logs);
    assertThat(logs)
        .contains("plain=***")
        .contains("b64=***")
        .contains("url=***")
        .contains("sha=" + sha256(value))
        .contains("other=unset");
    for (String form : forms(value)) {
      assertThat(logs).as("a form of the value in the run's log").doesNotContain(form);
    }
    JsonNode attempt = teamA.get("/api/v1/runs/" + run + "/attempts").json().get("attempts").get(0);
    assertThat(attempt.get("secret_names").toString()).isEqualTo("[\"API_TOKEN\"]");
  }

  // ---------------------------------------------------------------- 2: nowhere else

  @Test
  @Order(2)
  void theValueIsInNoTableNoEventAndNoLog() throws Exception {
    assertValueNowhere(value);
  }

  private void assertValueNowhere(String secret) throws Exception {
    String dump = pgDump();
    assertThat(dump).as("pg_dump of the test database").contains("team_secrets");
    for (String form : forms(secret)) {
      assertThat(dump).as("pg_dump holds a form of the value").doesNotContain(form);
    }
    assertThat(dump)
        .doesNotContain(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
    String events = runEvents();
    assertThat(events).as("run events of the test").contains("\"" + teamA.slug + "\"");
    for (String form : forms(secret)) {
      assertThat(events).as("Kafka run events").doesNotContain(form);
    }
    for (Svc s : stack.services) {
      String log = Files.readString(s.log, StandardCharsets.UTF_8);
      assertThat(log).as(s.module + " log").doesNotContain(secret).doesNotContain(key1);
    }
    assertThat(agent.logText()).as("agent log").doesNotContain(secret);
    try (Stream<Path> files = Files.walk(agent.dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
            .as("agent data file " + f)
            .doesNotContain(secret);
      }
    }
  }

  // ---------------------------------------------------------------- 3: other team, member

  @Test
  @Order(3)
  void anotherTeamCannotListDeleteOverwriteOrReceiveTheSecret() throws Exception {
    String fingerprint = list(teamA).get(0).get("fingerprint").asText();
    assertThat(list(teamB)).isEmpty();
    assertThat((delete(teamB, "API_TOKEN")).status()).isEqualTo(404);

    // B's Towerfile names A's secret: the run fails at lease, clearly, and receives nothing.
    deploy(teamB, "thief", "[\"API_TOKEN\"]");
    long stolen = teamB.createRun("thief", "{}");
    assertThat(awaitTerminal(teamB, stolen)).isEqualTo("failed");
    JsonNode run = teamB.get("/api/v1/runs/" + stolen).json();
    JsonNode attempt =
        teamB.get("/api/v1/runs/" + stolen + "/attempts").json().get("attempts").get(0);
    assertThat(attempt.get("error_message").asText())
        .contains("missing secret API_TOKEN")
        .doesNotContain(value);
    assertThat(attempt.get("secret_names").toString()).isEqualTo("[]");
    assertThat(logs(teamB, stolen)).doesNotContain(value).doesNotContain("sha=");
    assertThat(run.toString()).doesNotContain(value);

    // B's own secret of the same name is B's: A's stays as it was, B's run gets B's value.
    assertThat(put(teamB, "API_TOKEN", valueB).status()).isEqualTo(201);
    assertThat(list(teamA).get(0).get("fingerprint").asText()).isEqualTo(fingerprint);
    long own = teamB.createRun("thief", "{}");
    assertThat(awaitTerminal(teamB, own)).as(diagnostics(teamB, own)).isEqualTo("completed");
    assertThat(logs(teamB, own)).contains("sha=" + sha256(valueB)).doesNotContain(sha256(value));
    long again = teamA.createRun("printer", "{}");
    assertThat(awaitTerminal(teamA, again)).isEqualTo("completed");
    assertThat(logs(teamA, again)).contains("sha=" + sha256(value));
  }

  @Test
  @Order(4)
  void aMemberListsButCannotWrite() {
    Http.Res minted = teamA.post("/api/v1/tokens", "{\"role\":\"member\"}");
    Api member = teamA.withToken(minted.json().get("token").asText());
    assertThat(put(member, "API_TOKEN", "member-value").status()).isEqualTo(403);
    assertThat(put(member, "NEW_ONE", "member-value").status()).isEqualTo(403);
    assertThat((delete(member, "API_TOKEN")).status()).isEqualTo(403);
    assertThat(list(member)).hasSize(1);
    assertThat(list(teamA).get(0).get("name").asText()).isEqualTo("API_TOKEN");
  }

  // ---------------------------------------------------------------- 4: rotation

  @Test
  @Order(5)
  void aRotatedKeyStillDecryptsAndReencryptionLeavesNothingUnderTheOldKeyId() throws Exception {
    String oldId = keyId(key1);
    assertThat(stack.scalar("SELECT count(*) FROM team_secrets WHERE key_id = '" + oldId + "'"))
        .isEqualTo(2);
    Map<String, String> rotated = new HashMap<>();
    rotated.put("MINITOWER_SECRETS_KEY", key2);
    rotated.put("MINITOWER_SECRETS_OLD_KEYS", key1);
    api.restartWith(rotated);
    runnerService.restartWith(rotated);
    stack.awaitReady(api, runnerService);

    long beforeReencrypt = teamA.createRun("printer", "{}");
    assertThat(awaitTerminal(teamA, beforeReencrypt))
        .as(diagnostics(teamA, beforeReencrypt))
        .isEqualTo("completed");
    assertThat(logs(teamA, beforeReencrypt)).contains("sha=" + sha256(value));

    Http.Res re = Http.post(api.baseUrl() + "/api/v1/admin/secrets/reencrypt", bootstrapToken, "");
    assertThat(re.status()).as(re.toString()).isEqualTo(200);
    assertThat(re.json().get("reencrypted").asLong()).isEqualTo(2);
    assertThat(re.json().get("remaining_under_other_keys").asLong()).isZero();
    assertThat(stack.scalar("SELECT count(*) FROM team_secrets WHERE key_id = '" + oldId + "'"))
        .isZero();
    assertThat(
            stack.scalar("SELECT count(*) FROM team_secrets WHERE key_id = '" + keyId(key2) + "'"))
        .isEqualTo(2);

    // The old key is no longer needed anywhere.
    Map<String, String> onlyNew = new HashMap<>();
    onlyNew.put("MINITOWER_SECRETS_OLD_KEYS", null);
    runnerService.restartWith(onlyNew);
    stack.awaitReady(runnerService);
    long after = teamA.createRun("printer", "{}");
    assertThat(awaitTerminal(teamA, after)).as(diagnostics(teamA, after)).isEqualTo("completed");
    assertThat(logs(teamA, after)).contains("sha=" + sha256(value));
  }

  @Test
  @Order(6)
  void aServiceWithoutTheKeyRefusesToStartWhileSecretsExist() throws Exception {
    Map<String, String> noKey = new HashMap<>();
    noKey.put("MINITOWER_SECRETS_KEY", null);
    noKey.put("MINITOWER_SECRETS_OLD_KEYS", null);
    runnerService.restartWith(noKey);
    await().atMost(Duration.ofSeconds(90)).until(() -> !runnerService.isAlive());
    assertThat(runnerService.logTail())
        .contains("runner-service refuses to start")
        .contains("MINITOWER_SECRETS_KEY is not set");
    Map<String, String> wrongKey = new HashMap<>();
    wrongKey.put("MINITOWER_SECRETS_KEY", key1);
    runnerService.restartWith(wrongKey);
    await().atMost(Duration.ofSeconds(90)).until(() -> !runnerService.isAlive());
    assertThat(runnerService.logTail())
        .contains("are encrypted under key id " + keyId(key2))
        .doesNotContain(key1)
        .doesNotContain(key2);
  }

  @Test
  @Order(7)
  void afterRotationAndFailuresNoValueOfEitherTeamIsInATableAnEventOrALog() throws Exception {
    assertValueNowhere(value);
    assertValueNowhere(valueB);
  }

  // ---------------------------------------------------------------- helpers

  private static String newKey() {
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  /** The key id the services derive (platform SecretCipher): 16 hex digits of a SHA-256. */
  private static String keyId(String key) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update("minitower-secrets-key-id\0".getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest(Base64.getDecoder().decode(key)), 0, 8);
  }

  private static List<String> forms(String v) {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    return List.of(
        v,
        Base64.getEncoder().encodeToString(b),
        Base64.getUrlEncoder().withoutPadding().encodeToString(b),
        URLEncoder.encode(v, StandardCharsets.UTF_8));
  }

  private static String sha256(String v) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8)));
  }

  private static Http.Res put(Api team, String name, String v) {
    String body;
    try {
      body = Http.JSON.writeValueAsString(Map.of("value", v));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Http.send(
        Http.req(team.base + "/api/v1/secrets/" + name)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + team.token)
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static Http.Res delete(Api team, String name) {
    return Http.delete(team.base + "/api/v1/secrets/" + name, team.token);
  }

  private static List<JsonNode> list(Api team) {
    Http.Res r = team.get("/api/v1/secrets");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("\"value\"");
    List<JsonNode> out = new ArrayList<>();
    r.json().get("secrets").forEach(out::add);
    return out;
  }

  private static void deploy(Api team, String app, String secrets) throws IOException {
    team.createApp(app);
    String towerfile =
        Tar.towerfile(app, "./job.sh").replace("[app]\n", "[app]\nsecrets = " + secrets + "\n");
    byte[] artifact = Tar.gz(t -> t.file("Towerfile", towerfile).file("job.sh", PRINTER));
    Http.Res r = team.upload(app, artifact);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static String status(Api team, long run) {
    return team.get("/api/v1/runs/" + run).json().get("status").asText();
  }

  private static String awaitTerminal(Api team, long run) {
    await()
        .atMost(RUN_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> TERMINAL.contains(status(team, run)));
    return status(team, run);
  }

  private static String logs(Api team, long run) {
    StringBuilder out = new StringBuilder();
    for (JsonNode l : team.get("/api/v1/runs/" + run + "/logs").json().get("logs")) {
      out.append(l.get("line").asText()).append('\n');
    }
    return out.toString();
  }

  private String diagnostics(Api team, long run) {
    return "run "
        + run
        + " attempts "
        + team.get("/api/v1/runs/" + run + "/attempts").body()
        + "\nlog:\n"
        + logs(team, run)
        + "\nagent log:\n"
        + agent.logTail();
  }

  /** {@code pg_dump} of the test's own database (schema and data). */
  private String pgDump() {
    String db = stack.jdbcUrl.substring(stack.jdbcUrl.lastIndexOf('/') + 1);
    String hostPort =
        stack.jdbcUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
    String[] hp = hostPort.split(":");
    Map<String, String> env = new HashMap<>();
    env.put("PGPASSWORD", Sys.DB_PASSWORD);
    return Sys.sh(
        env,
        "pg_dump",
        "-h",
        hp[0],
        "-p",
        hp.length > 1 ? hp[1] : "5432",
        "-U",
        Sys.DB_USER,
        "--no-owner",
        db);
  }

  /** Every record of the run events topic, from the beginning, as one string. */
  private String runEvents() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    StringBuilder all = new StringBuilder();
    // The relay publishes asynchronously: wait until the test's team appears in the events.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              all.setLength(0);
              try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
                List<TopicPartition> parts = new ArrayList<>();
                c.partitionsFor("minitower.run-events")
                    .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline
                    && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                  for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    all.append(r.value()).append('\n');
                  }
                }
              }
              return all.toString().contains("\"" + teamA.slug + "\"")
                  && all.toString().contains("completed");
            });
    return all.toString();
  }
}
