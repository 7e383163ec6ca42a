package dev.minitower.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.system.faults.AgentProc;
import dev.minitower.system.faults.Api;
import dev.minitower.system.faults.Http;
import dev.minitower.system.faults.Stack;
import dev.minitower.system.faults.Svc;
import dev.minitower.system.faults.Sys;
import dev.minitower.system.faults.Tar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile workloads against the packaged agent's sandbox, through the real services: team A's runs
 * attack (read every environ, escape the kill by double fork and setsid, read other runs' files and
 * the runner token, write into the cached virtualenv, exhaust processes, memory and file size)
 * while team B's runs must stay private and unharmed. The agent runs as the test runs (root, as in
 * CI) with two slots and small limits; the test inspects the host's /proc and the data dir itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileWorkloadIT {
  /** Host uid of every workload process when the agent is root (the agent's default). */
  static final int SANDBOX_UID = 61000;

  static final Duration RUN_BOUND = Duration.ofSeconds(120);
  static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "dead");
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  /** A bounded run timeout, so that a workload the agent fails to stop still ends. */
  static final int APP_TIMEOUT_S = 120;

  private final String registrationToken = "reg-" + UUID.randomUUID();
  private final String bootstrapToken = "boot-" + UUID.randomUUID();
  private final String agentCanary = "canary-" + UUID.randomUUID();

  private Stack stack;
  private Svc runnerService;
  private AgentProc agent;
  private Path dataDir;
  private Api attacker;
  private Api victim;

  /** Runs created by the current test, cancelled after it if still live. */
  private final List<RunRef> created = new ArrayList<>();

  /** Every FAULT_MARKER handed to a run: whatever still carries one at the end is killed. */
  private final List<String> markers = new ArrayList<>();

  private int appCounter;

  record RunRef(Api team, long id) {}

  @BeforeAll
  void startSystem() throws Exception {
    stack = Stack.fresh("mt_hostile");
    Map<String, String> env =
        Map.of(
            "MINITOWER_BOOTSTRAP_TOKEN", bootstrapToken,
            "MINITOWER_RUNNER_REGISTRATION_TOKEN", registrationToken,
            "MINITOWER_LEASE_TTL", "10s");
    Svc api = stack.add("api-service", env);
    runnerService = stack.add("runner-service", env);
    stack.add("scheduler-service", env);
    stack.awaitReady();

    // The agent creates its data dir (0700) inside an ordinary 0755 directory, as under /var/lib.
    Path parent = Files.createTempDirectory("hostile");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    dataDir = parent.resolve("agent-data");
    agent =
        stack.agent(
            new AgentProc(
                    runnerService.baseUrl(),
                    "hostile-agent",
                    dataDir,
                    Map.of(
                        "MINITOWER_RUNNER_REGISTRATION_TOKEN", registrationToken,
                        "MINITOWER_RUNNER_CONCURRENCY", "2",
                        "MINITOWER_LIMIT_PROCESSES", "64",
                        "MINITOWER_LIMIT_MEMORY", "512MiB",
                        "MINITOWER_LIMIT_FILE_SIZE", "10MiB",
                        "MINITOWER_DRAIN_TIMEOUT", "2s",
                        "MINITOWER_PYTHON_BIN", "/usr/bin/python3",
                        "HOSTILE_AGENT_CANARY", agentCanary))
                .start());

    attacker = Api.bootstrap(api.baseUrl(), bootstrapToken, "attacker", "attacker-password");
    victim = Api.signup(api.baseUrl(), "victim", "victim-password");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.isRegularFile(dataDir.resolve("runner_token")));
  }

  @AfterEach
  void endLeftoverRuns() {
    for (RunRef r : created) {
      if (!TERMINAL.contains(status(r))) {
        r.team().post("/api/v1/runs/" + r.id() + "/cancel", null);
      }
    }
    for (RunRef r : created) {
      await().atMost(RUN_BOUND).until(() -> TERMINAL.contains(status(r)));
    }
    created.clear();
  }

  @AfterAll
  void stopSystem() {
    try {
      if (stack != null) {
        stack.close();
      }
    } finally {
      for (String m : markers) {
        AgentProc.killWorkloads(m);
      }
    }
  }

  // ------------------------------------------------------------------ 1: environ of others

  @Test
  @Order(1)
  void workloadCannotReadAnyEnvironOfTheAgentOrServices() throws Exception {
    String app =
        deployPython(
            attacker,
            """
            import json, os
            host_pids = [int(p) for p in os.environ['HOST_PIDS'].split(',')]
            seen = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
            print('SEEN_PIDS ' + json.dumps(seen))
            print('SELF %d PPID %d UID %d' % (os.getpid(), os.getppid(), os.getuid()))
            for p in sorted(set(seen + [os.getppid(), 1] + host_pids)):
                for what in ('cmdline', 'environ'):
                    try:
                        with open('/proc/%d/%s' % (p, what), 'rb') as f:
                            data = f.read().replace(bytes([0]), b' ')
                        print('%s %d OK %s' % (what.upper(), p, data.decode('utf-8', 'replace')))
                    except Exception as e:
                        print('%s %d ERR %s' % (what.upper(), p, type(e).__name__))
            print('DONE')
            """);
    List<Long> hostPids = new ArrayList<>(List.of(agent.pid()));
    for (Svc s : stack.services) {
      hostPids.add(s.pid());
    }
    long run = createRun(attacker, app, Map.of("HOST_PIDS", join(hostPids)));

    assertThat(awaitTerminal(attacker, run)).as(diagnostics(attacker, run)).isEqualTo("completed");
    String logs = logs(attacker, run);
    evidence(run, logs);
    assertThat(logs).as("the workload ran to its end").contains("DONE");

    String runnerToken = Files.readString(dataDir.resolve("runner_token")).strip();
    assertThat(runnerToken).as("the runner token the agent saved").contains("mtr_");
    assertThat(logs)
        .as("secrets of the agent and services in the workload's view of /proc")
        .doesNotContain(registrationToken)
        .doesNotContain(bootstrapToken)
        .doesNotContain(agentCanary)
        .doesNotContain(runnerToken)
        .doesNotContain("mtr_")
        .doesNotContain("MINITOWER_DB")
        .doesNotContain("MINITOWER_RUNNER_REGISTRATION_TOKEN")
        .doesNotContain(attacker.token)
        .doesNotContain(victim.token);
    assertThat(containsWord(logs, Sys.DB_PASSWORD))
        .as("DB password in the workload's logs")
        .isFalse();

    List<Long> seen = parseLongs(lineAfter(logs, "SEEN_PIDS "));
    assertThat(seen)
        .as("pids in the workload's /proc: its own PID namespace only")
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(8)
        .doesNotContainAnyElementsOf(hostPids);
    for (long p : hostPids) {
      assertThat(logs)
          .as("/proc of host pid %d (agent or service) from inside", p)
          .contains("ENVIRON " + p + " ERR")
          .doesNotContain("ENVIRON " + p + " OK")
          .doesNotContain("CMDLINE " + p + " OK");
    }
    int cmdlines = 0;
    for (String line : logs.split("\n")) {
      Matcher m = Pattern.compile("^CMDLINE \\d+ OK (\\S*)").matcher(line);
      if (m.find()) {
        cmdlines++;
        // The program only: a sandbox helper's arguments may carry the workload's own PATH.
        assertThat(m.group(1))
            .as("program of a process the workload can see")
            .doesNotContain("java");
        assertThat(line)
            .as("a process the workload can see")
            .doesNotContain("quarkus-run.jar")
            .doesNotContain("minitower-runner.jar");
      }
    }
    assertThat(cmdlines)
        .as("command lines the workload could read (at least its own)")
        .isPositive();
  }

  // ------------------------------------------------------------------ 2: double fork escape

  /** Forks, the child calls setsid and forks again; the grandchild runs with the marker as argv. */
  static final String ESCAPER =
      """
      import os, sys, time
      marker = 'hostile-marker-' + os.environ['ESCAPE_MARKER']
      child = os.fork()
      if child == 0:
          os.setsid()
          if os.fork() == 0:
              os.execv('/bin/sleep', [marker, '1000'])
          os._exit(0)
      os.waitpid(child, 0)

      def grandchild():
          for p in os.listdir('/proc'):
              if p.isdigit():
                  try:
                      with open('/proc/%s/cmdline' % p, 'rb') as f:
                          if f.read().startswith(marker.encode()):
                              return p
                  except OSError:
                      pass
          return None

      deadline = time.time() + 30
      while grandchild() is None and time.time() < deadline:
          time.sleep(0.05)
      print('ESCAPED pid %s sid %d' % (grandchild(), os.getsid(0)))
      if os.environ['MODE'] == 'exit':
          time.sleep(3)
          print('main exits')
          sys.exit(0)
      time.sleep(1000)
      """;

  @Test
  @Order(2)
  void doubleForkedSetsidGrandchildDiesWhenTheRunIsCancelled() throws Exception {
    String app = deployPython(attacker, ESCAPER);
    String marker = UUID.randomUUID().toString();
    long run = createRun(attacker, app, Map.of("ESCAPE_MARKER", marker, "MODE", "stay"));
    try {
      awaitMarkerOnHost(marker, attacker, run);
      await().atMost(RUN_BOUND).until(() -> logs(attacker, run).contains("ESCAPED pid "));
      Http.Res cancel = attacker.post("/api/v1/runs/" + run + "/cancel", null);
      assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);

      assertThat(awaitTerminal(attacker, run))
          .as(diagnostics(attacker, run))
          .isEqualTo("cancelled");
      assertMarkerGoneWithinTwoSeconds(marker);
    } finally {
      killByCmdline("hostile-marker-" + marker);
    }
  }

  @Test
  @Order(3)
  void doubleForkedSetsidGrandchildDiesWhenTheRunCompletes() throws Exception {
    String app = deployPython(attacker, ESCAPER);
    String marker = UUID.randomUUID().toString();
    long run = createRun(attacker, app, Map.of("ESCAPE_MARKER", marker, "MODE", "exit"));
    try {
      awaitMarkerOnHost(marker, attacker, run);

      assertThat(awaitTerminal(attacker, run))
          .as(diagnostics(attacker, run))
          .isEqualTo("completed");
      assertThat(logs(attacker, run)).contains("ESCAPED pid ").contains("main exits");
      assertMarkerGoneWithinTwoSeconds(marker);
    } finally {
      killByCmdline("hostile-marker-" + marker);
    }
  }

  // ------------------------------------------------------------------ 3: other runs' files

  @Test
  @Order(4)
  void workloadCannotSeeOrReadAnotherTeamsLiveWorkspace() throws Exception {
    String secret = "victim-secret-" + UUID.randomUUID();
    String victimApp =
        deployShell(
            victim,
            """
            #!/bin/sh
            echo "$VICTIM_SECRET" > victim-secret.txt
            echo "$VICTIM_SECRET" > "$HOME/victim-secret.txt"
            echo "$VICTIM_SECRET" > /tmp/victim-secret.txt
            echo "victim ready"
            sleep 60
            echo "victim done"
            """);
    long victimRun = createRun(victim, victimApp, Map.of("VICTIM_SECRET", secret));
    Path victimWs = awaitWorkspace(victimRun);
    Path victimFile = victimWs.resolve("app/victim-secret.txt");
    await()
        .atMost(RUN_BOUND)
        .until(() -> Files.isRegularFile(victimFile) && Files.size(victimFile) > 0);
    assertThat(Files.readString(victimFile).strip())
        .as("the victim wrote its file")
        .isEqualTo(secret);

    String attackApp =
        deployPython(
            attacker,
            """
            import json, os
            d = os.environ['DATA_DIR']
            ws = os.environ['VICTIM_WS']
            def ls(p):
                try:
                    print('LIST %s OK %s' % (p, json.dumps(sorted(os.listdir(p)))))
                except Exception as e:
                    print('LIST %s ERR %s' % (p, type(e).__name__))
            def cat(p):
                try:
                    with open(p) as f:
                        print('READ %s OK %s' % (p, f.read().strip()))
                except Exception as e:
                    print('READ %s ERR %s' % (p, type(e).__name__))
            for p in (d, d + '/runs', ws, ws + '/app', ws + '/home', '/tmp'):
                ls(p)
            for p in (ws + '/app/victim-secret.txt', ws + '/home/victim-secret.txt',
                      '/tmp/victim-secret.txt'):
                cat(p)
            try:
                with open(ws + '/app/pwned', 'w') as f:
                    f.write('pwned')
                print('WRITE OK')
            except Exception as e:
                print('WRITE ERR %s' % type(e).__name__)
            for root, dirs, files in os.walk(d):
                for name in files:
                    print('FILE ' + os.path.join(root, name))
            print('DONE')
            """);
    long attack =
        createRun(
            attacker,
            attackApp,
            Map.of("DATA_DIR", dataDir.toString(), "VICTIM_WS", victimWs.toString()));
    assertThat(awaitTerminal(attacker, attack))
        .as(diagnostics(attacker, attack))
        .isEqualTo("completed");
    assertThat(status(new RunRef(victim, victimRun)))
        .as("the victim was still running during the attack")
        .isEqualTo("running");

    String logs = logs(attacker, attack);
    evidence(attack, logs);
    assertThat(logs).contains("DONE").doesNotContain(secret);
    String victimName = victimWs.getFileName().toString();
    String runs = dataDir.resolve("runs").toString();
    for (String line : logs.split("\n")) {
      if (line.startsWith("LIST " + runs + " OK ")) {
        assertThat(parseStrings(line.substring(("LIST " + runs + " OK ").length())))
            .as("what the attacker sees in the runs directory: at most its own workspace")
            .allMatch(n -> n.startsWith("run-" + attack + "-a"));
      } else if (line.startsWith("LIST " + victimWs)) {
        assertThat(line).as("listing the victim's workspace").contains(" ERR ");
      } else if (line.startsWith("LIST ")) {
        assertThat(line).doesNotContain(victimName).doesNotContain("runner_token");
      } else if (line.startsWith("READ ")) {
        assertThat(line)
            .as("reading the victim's files")
            .containsPattern(" ERR (FileNotFoundError|PermissionError)$");
      } else if (line.startsWith("FILE ")) {
        assertThat(line)
            .as("files under the data dir that the attacker can reach")
            .doesNotContain(victimName)
            .doesNotContain("runner_token");
      }
    }
    assertThat(logs).contains("WRITE ERR");
    assertThat(victimWs.resolve("app/pwned")).doesNotExist();
    assertThat(Files.readString(victimFile).strip()).isEqualTo(secret);
  }

  // ------------------------------------------------------------------ 4: runner token

  @Test
  @Order(5)
  void workloadCannotReadTheRunnerToken() throws Exception {
    Path tokenFile = dataDir.resolve("runner_token");
    String token = Files.readString(tokenFile).strip();
    assertThat(token).as("the saved runner token").contains("mtr_");
    String app =
        deployShell(
            attacker,
            """
            #!/bin/sh
            if [ -e "$DATA_DIR/runner_token" ]; then echo "TOKEN_VISIBLE"; fi
            cat "$DATA_DIR/runner_token" 2>&1
            echo "CAT_EXIT=$?"
            ls -1a "$DATA_DIR" 2>&1 | sed 's/^/ENTRY /'
            echo DONE
            """);
    long run = createRun(attacker, app, Map.of("DATA_DIR", dataDir.toString()));
    assertThat(awaitTerminal(attacker, run)).as(diagnostics(attacker, run)).isEqualTo("completed");

    String logs = logs(attacker, run);
    evidence(run, logs);
    assertThat(logs)
        .contains("DONE")
        .containsPattern("runner_token: (No such file or directory|Permission denied)")
        .containsPattern("CAT_EXIT=[1-9]")
        .doesNotContain("TOKEN_VISIBLE")
        .doesNotContain("ENTRY runner_token")
        .doesNotContain("ENTRY agent.lock")
        .doesNotContain("mtr_")
        .doesNotContain(token);
  }

  // ------------------------------------------------------------------ 5: cached venv

  @Test
  @Order(6)
  void workloadCannotWriteIntoTheCachedVirtualenv() throws Exception {
    String mark = UUID.randomUUID().toString().substring(0, 8);
    String app =
        deployPython(
            attacker,
            """
            import os, sysconfig
            venv = os.environ['VIRTUAL_ENV']
            venvs = os.environ['DATA_DIR'] + '/venvs'
            site = sysconfig.get_paths()['purelib']
            mark = os.environ['MARK']
            print('VENV ' + venv)
            print('SITE ' + site)
            print('W_VENV %s' % os.access(venv, os.W_OK))
            print('W_VENVS %s' % os.access(venvs, os.W_OK))
            print('W_SITE %s' % os.access(site, os.W_OK))
            for p in (site + '/hostile_' + mark + '.py', venv + '/bin/hostile-' + mark,
                      venvs + '/hostile-' + mark):
                try:
                    with open(p, 'w') as f:
                        f.write('import os')
                    print('CREATE %s OK' % p)
                except Exception as e:
                    print('CREATE %s ERR %s' % (p, type(e).__name__))
            print('DONE')
            """);
    long run = createRun(attacker, app, Map.of("DATA_DIR", dataDir.toString(), "MARK", mark));
    assertThat(awaitTerminal(attacker, run)).as(diagnostics(attacker, run)).isEqualTo("completed");

    String logs = logs(attacker, run);
    evidence(run, logs);
    String venv = lineAfter(logs, "VENV ");
    String site = lineAfter(logs, "SITE ");
    assertThat(venv).as("VIRTUAL_ENV").startsWith(dataDir.resolve("venvs") + "/");
    assertThat(site).as("site-packages of the run's python").startsWith(venv);
    assertThat(logs)
        .contains("DONE")
        .contains("W_VENV False")
        .contains("W_VENVS False")
        .contains("W_SITE False")
        .doesNotContainPattern("CREATE .* OK");
    assertThat(countMatches(logs, "CREATE .* ERR (PermissionError|OSError|FileNotFoundError)"))
        .as("failed create attempts")
        .isEqualTo(3);
    assertThat(Path.of(site, "hostile_" + mark + ".py")).doesNotExist();
    assertThat(Path.of(venv, "bin", "hostile-" + mark)).doesNotExist();
    assertThat(dataDir.resolve("venvs/hostile-" + mark)).doesNotExist();
  }

  // ------------------------------------------------------------------ 6: modes and uid

  @Test
  @Order(7)
  void dataDirAndLiveWorkspaceAreOwnerOnlyAndTheWorkloadIsNotRoot() throws Exception {
    String marker = UUID.randomUUID().toString();
    String app =
        deployShell(
            victim,
            """
            #!/bin/sh
            echo "UID=$(id -u)"
            echo "GID=$(id -g)"
            echo "ready"
            sleep 60
            """);
    long run = createRun(victim, app, Map.of("FAULT_MARKER", marker));
    Path ws = awaitWorkspace(run);
    await().atMost(RUN_BOUND).until(() -> logs(victim, run).contains("ready"));

    assertThat(Files.getPosixFilePermissions(dataDir)).as("data dir").isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("runs")))
        .as("runs dir")
        .isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(ws)).as("live workspace " + ws).isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("runner_token")))
        .as("runner_token")
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    String logs = logs(victim, run);
    evidence(run, logs);
    assertThat(Integer.parseInt(lineAfter(logs, "UID=")))
        .as("uid the workload sees (id -u)")
        .isNotZero();

    // The workload's processes seen from the host: the shell and its sleep.
    List<Long> pids = AgentProc.workloads(marker);
    List<String> workload = new ArrayList<>();
    for (long pid : pids) {
      String cmdline = cmdline(pid);
      if (cmdline.equals("sleep 60")
          || (cmdline.startsWith("/bin/sh ") && cmdline.endsWith("job.sh"))) {
        workload.add(pid + " " + cmdline + " | " + uidLine(pid));
        assertThat(uidLine(pid))
            .as("host uids (real, effective, saved, fs) of %d %s", pid, cmdline)
            .isEqualTo(
                "Uid:\t%d\t%d\t%d\t%d"
                    .formatted(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID, SANDBOX_UID));
      }
    }
    assertThat(workload).as("the workload's host processes").anyMatch(s -> s.contains("sleep 60"));
  }

  // ------------------------------------------------------------------ 7-9: limits

  /** Team B's well-behaved run: spawns programs in a loop and finishes. */
  static final String WELL_BEHAVED =
      """
      #!/bin/sh
      i=0
      while [ $i -lt $ROUNDS ]; do
        /bin/true || { echo "spawn failed"; exit 3; }
        sleep 0.2 || { echo "spawn failed"; exit 3; }
        i=$((i+1))
        echo "tick $i"
      done
      echo done
      """;

  @Test
  @Order(8)
  void forkBombEndsFailedWithProcessLimitWhileAnotherTeamsRunCompletes() throws Exception {
    // Bounded so that an unconfined run cannot take the machine down: 3 children per process, 5
    // generations (364 processes at most), all gone after 60 s.
    assertLimitEndsRunWhileNeighbourCompletes(
        """
        import os, time
        deadline = time.time() + 60
        generation = 0
        children = 0
        print('bomb start', flush=True)
        while children < 3 and generation < 5 and time.time() < deadline:
            try:
                if os.fork() == 0:
                    generation += 1
                    children = 0
                else:
                    children += 1
            except OSError:
                time.sleep(0.01)
        while time.time() < deadline:
            time.sleep(0.5)
        if generation == 0:
            print('NOT LIMITED')
        """,
        "process limit");
  }

  @Test
  @Order(9)
  void memoryHogEndsFailedWithMemoryLimitWhileAnotherTeamsRunCompletes() throws Exception {
    // Bounded: stops by itself at 2000 MiB when nothing limits it.
    assertLimitEndsRunWhileNeighbourCompletes(
        """
        chunks = []
        for i in range(40):
            chunks.append(bytearray(50 * 1024 * 1024))
            print('allocated %d MiB' % (50 * len(chunks)), flush=True)
        print('NOT LIMITED')
        """,
        "memory limit");
  }

  @Test
  @Order(10)
  void oversizedFileEndsFailedWithFileSizeLimitWhileAnotherTeamsRunCompletes() throws Exception {
    assertLimitEndsRunWhileNeighbourCompletes(
        """
        block = b'x' * (1024 * 1024)
        with open('big.bin', 'wb') as f:
            for i in range(20):
                f.write(block)
                f.flush()
                print('wrote %d MiB' % (i + 1), flush=True)
        print('NOT LIMITED')
        """,
        "file size limit");
  }

  private void assertLimitEndsRunWhileNeighbourCompletes(String hostile, String limit)
      throws Exception {
    String neighbourApp = deployShell(victim, WELL_BEHAVED);
    String hostileApp = deployPython(attacker, hostile);
    long neighbour = createRun(victim, neighbourApp, Map.of("ROUNDS", 50));
    await().atMost(RUN_BOUND).until(() -> logs(victim, neighbour).contains("tick 1"));
    long run = createRun(attacker, hostileApp, Map.of());

    assertThat(awaitTerminal(attacker, run)).as(diagnostics(attacker, run)).isEqualTo("failed");
    String error = lastAttempt(attacker, run).path("error_message").asText("");
    assertThat(error).as("error_message of the hostile run").contains(limit);
    String logs = logs(attacker, run);
    evidence(run, logs);
    assertThat(logs).doesNotContain("NOT LIMITED").contains("run failed: " + error);

    assertThat(awaitTerminal(victim, neighbour))
        .as(diagnostics(victim, neighbour))
        .isEqualTo("completed");
    assertThat(logs(victim, neighbour))
        .contains("tick 50")
        .contains("done")
        .doesNotContain("spawn failed");
    JsonNode h = attacker.get("/api/v1/runs/" + run).json();
    JsonNode n = victim.get("/api/v1/runs/" + neighbour).json();
    assertThat(Instant.parse(h.get("started_at").asText()))
        .as("the hostile run started before the neighbour finished")
        .isBefore(Instant.parse(n.get("finished_at").asText()));
  }

  // ------------------------------------------------------------------ helpers

  private String deployPython(Api team, String source) throws IOException {
    return deploy(team, "main.py", source);
  }

  private String deployShell(Api team, String source) throws IOException {
    return deploy(team, "job.sh", source);
  }

  private String deploy(Api team, String script, String source) throws IOException {
    String app = "hostile-" + (++appCounter);
    String towerfile =
        Tar.towerfile(app, "./" + script) + "\n[app.timeout]\nseconds = " + APP_TIMEOUT_S + "\n";
    team.createApp(app);
    Http.Res r = team.upload(app, Tar.gz(t -> t.file("Towerfile", towerfile).file(script, source)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return app;
  }

  private long createRun(Api team, String app, Map<String, ?> input) {
    ObjectNode body = Http.JSON.createObjectNode();
    ObjectNode in = body.putObject("input");
    String marker = "hostile-" + UUID.randomUUID();
    in.put("FAULT_MARKER", marker);
    input.forEach((k, v) -> in.set(k, Http.JSON.valueToTree(v)));
    markers.add(in.get("FAULT_MARKER").asText());
    long id = team.createRun(app, body.toString());
    created.add(new RunRef(team, id));
    return id;
  }

  private static String status(RunRef r) {
    Http.Res res = r.team().get("/api/v1/runs/" + r.id());
    assertThat(res.status()).as(res.toString()).isEqualTo(200);
    return res.json().get("status").asText();
  }

  private static String awaitTerminal(Api team, long run) {
    RunRef r = new RunRef(team, run);
    await()
        .atMost(RUN_BOUND)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> TERMINAL.contains(status(r)));
    return status(r);
  }

  private static JsonNode lastAttempt(Api team, long run) {
    Http.Res r = team.get("/api/v1/runs/" + run + "/attempts");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode attempts = r.json().get("attempts");
    assertThat(attempts.size()).as("attempts of run " + run).isPositive();
    JsonNode last = attempts.get(0);
    for (JsonNode a : attempts) {
      if (a.get("attempt_no").asInt() > last.get("attempt_no").asInt()) {
        last = a;
      }
    }
    return last;
  }

  /** All log lines of a run, in order, joined by newlines. */
  private static String logs(Api team, long run) {
    StringBuilder out = new StringBuilder();
    int afterAttempt = 0;
    long afterSeq = 0;
    while (true) {
      Http.Res page =
          team.get(
              "/api/v1/runs/"
                  + run
                  + "/logs?after_attempt="
                  + afterAttempt
                  + "&after_seq="
                  + afterSeq);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      JsonNode j = page.json();
      for (JsonNode l : j.get("logs")) {
        out.append(l.get("line").asText()).append('\n');
      }
      if (!j.path("has_more").asBoolean(false) || j.get("logs").isEmpty()) {
        return out.toString();
      }
      afterAttempt = j.get("next_after_attempt").asInt();
      afterSeq = j.get("next_after_seq").asLong();
    }
  }

  /** The hostile run's log in the test output (failsafe report), as the evidence of what it saw. */
  private static void evidence(long run, String logs) {
    System.out.println("----- log of run " + run + " -----\n" + logs + "----- end of run " + run);
  }

  private String diagnostics(Api team, long run) {
    String attempt;
    try {
      attempt = lastAttempt(team, run).toString();
    } catch (AssertionError | RuntimeException e) {
      attempt = e.toString();
    }
    String logs = logs(team, run);
    if (logs.length() > 6000) {
      logs = "…" + logs.substring(logs.length() - 6000);
    }
    return "run "
        + run
        + " attempt "
        + attempt
        + "\nrun log:\n"
        + logs
        + "\nagent log:\n"
        + agent.logTail();
  }

  /** The live workspace of a run's first attempt, {@code <data>/runs/run-<id>-a1-*}. */
  private Path awaitWorkspace(long run) {
    Path[] found = new Path[1];
    await()
        .atMost(RUN_BOUND)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try (Stream<Path> s = Files.list(dataDir.resolve("runs"))) {
                found[0] =
                    s.filter(p -> p.getFileName().toString().startsWith("run-" + run + "-a1-"))
                        .findFirst()
                        .orElse(null);
              } catch (IOException e) {
                return false;
              }
              return found[0] != null;
            });
    return found[0];
  }

  private void awaitMarkerOnHost(String marker, Api team, long run) {
    String needle = "hostile-marker-" + marker;
    try {
      await()
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !hostProcessesWithCmdline(needle).isEmpty());
      for (String p : hostProcessesWithCmdline(needle)) {
        long pid = Long.parseLong(p.substring(0, p.indexOf(' ')));
        System.out.println("escaped grandchild on the host: " + p + " | " + uidLine(pid));
      }
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the escaped grandchild never ran\n" + diagnostics(team, run), e);
    }
  }

  private static void assertMarkerGoneWithinTwoSeconds(String marker) {
    String needle = "hostile-marker-" + marker;
    try {
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> hostProcessesWithCmdline(needle).isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "processes with "
              + needle
              + " 2 s after the run ended: "
              + hostProcessesWithCmdline(needle),
          e);
    }
  }

  /** Live (non-zombie) host processes whose command line contains {@code needle}: "pid cmdline". */
  static List<String> hostProcessesWithCmdline(String needle) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                String cmd = cmdline(pid);
                if (cmd.contains(needle) && !isZombie(pid)) {
                  found.add(pid + " " + cmd);
                }
              });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  private static void killByCmdline(String needle) {
    for (String p : hostProcessesWithCmdline(needle)) {
      ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' '))))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static String cmdline(long pid) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(b, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true;
    }
  }

  private static String uidLine(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("Uid:")) {
          return l;
        }
      }
      return "";
    } catch (IOException e) {
      return "gone: " + e;
    }
  }

  /** The rest of the first log line that starts with {@code prefix}. */
  private static String lineAfter(String logs, String prefix) {
    for (String line : logs.split("\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new AssertionError("no line starting with '" + prefix + "' in:\n" + logs);
  }

  private static List<Long> parseLongs(String json) throws IOException {
    List<Long> out = new ArrayList<>();
    for (JsonNode n : Http.JSON.readTree(json)) {
      out.add(n.asLong());
    }
    return out;
  }

  private static List<String> parseStrings(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode n : Http.JSON.readTree(json)) {
      out.add(n.asText());
    }
    return out;
  }

  private static String join(List<Long> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  private static long countMatches(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    long n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /**
   * Whether {@code word} occurs in {@code text} not as part of a longer name. The development DB
   * password is an ordinary word ("minitower") that also appears inside harmless names such as the
   * sandbox's host name "minitower-run" or paths like /tmp/minitower-…; a leaked password shows up
   * on its own (PASSWORD=minitower, :minitower@).
   */
  static boolean containsWord(String text, String word) {
    return Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(word) + "(?![A-Za-z0-9_.-])")
        .matcher(text)
        .find();
  }
}
