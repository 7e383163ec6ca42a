package dev.minitower.agent;

import dev.minitower.agent.config.AgentConfig;
import dev.minitower.agent.config.ConfigException;
import dev.minitower.agent.observability.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code minitower-runner}: configured by environment variables only (as the original). */
@Command(
    name = "minitower-runner",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Leases MiniTower runs from runner-service and executes them:",
      ".py entrypoints in a cached virtualenv, .sh entrypoints under /bin/sh,",
      "each in a bubblewrap sandbox of its own. Configuration comes from the environment."
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  MINITOWER_SERVER_URL                 runner-service base URL (required)",
      "  MINITOWER_RUNNER_NAME                globally unique runner name (required)",
      "  MINITOWER_RUNNER_REGISTRATION_TOKEN  needed when no token is saved (default empty)",
      "  MINITOWER_RUNNER_ENVIRONMENT         environment label (default: default)",
      "  MINITOWER_DATA_DIR                   token, venv cache, workspaces ($HOME/.minitower)",
      "  MINITOWER_PYTHON_BIN                 interpreter for venvs (default: python3)",
      "  MINITOWER_POLL_INTERVAL              pause after an empty or failed poll (3s)",
      "  MINITOWER_KILL_GRACE_PERIOD          SIGTERM to SIGKILL delay (10s)",
      "  MINITOWER_RUNNER_CONCURRENCY         runs at once (1)",
      "  MINITOWER_LEASE_WAIT                 lease long-poll wait, 0 = off (20s)",
      "  MINITOWER_DRAIN_TIMEOUT              on SIGTERM, time left to running work (30s)",
      "  MINITOWER_WORKLOAD_PASS_ENV          comma-separated variables copied to workloads",
      "  MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE  file holding the registration token",
      "  MINITOWER_SANDBOX                    bwrap (default), or none for development only",
      "  MINITOWER_SANDBOX_UID                host uid of workloads when run as root (61000)",
      "  MINITOWER_SANDBOX_NETWORK            on (default) or off",
      "  MINITOWER_SANDBOX_RO_PATHS           extra read-only host paths for every run",
      "  MINITOWER_LIMIT_PROCESSES            processes and threads per run (512)",
      "  MINITOWER_LIMIT_MEMORY               address space per process (4GiB)",
      "  MINITOWER_LIMIT_FILE_SIZE            largest file a run may write (1GiB)",
      "  MINITOWER_LIMIT_CPU                  CPU time per process (1h)",
      "  MINITOWER_LIMIT_OPEN_FILES           open files per process (1024)",
      "",
      "Durations use Go syntax (250ms, 3s, 1m30s). Logs are JSON lines on stdout."
    })
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() {
    List<String> warnings = new ArrayList<>();
    AgentConfig config;
    try {
      config = AgentConfig.fromEnvironment(System.getenv(), warnings);
    } catch (ConfigException e) {
      new AgentLog(System.out, null).error("config error", "error", e.getMessage());
      return 1;
    }
    Agent agent = new Agent(config, System.out);
    AgentLog log = new AgentLog(System.out, config.runnerName());
    warnings.forEach(w -> log.warn("config warning", "warning", w));
    try {
      agent.start();
    } catch (AgentException e) {
      log.error("startup failed", "error", e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.shutdown();
                  System.out.flush();
                  // A drained shutdown is a clean exit (0, as the original), not "killed by
                  // SIGTERM".
                  Runtime.getRuntime().halt(0);
                },
                "shutdown"));
    agent.awaitStopped();
    return 0;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"minitower-runner " + (v == null ? "dev" : v)};
    }
  }
}
