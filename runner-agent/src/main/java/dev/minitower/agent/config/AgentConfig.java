package dev.minitower.agent.config;

import dev.minitower.model.time.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the agent needs, read once from the environment ({@link #fromEnvironment}) or built
 * directly by an embedding program or test.
 *
 * @param serverUrl runner-service base URL ({@code MINITOWER_SERVER_URL}), no trailing slash
 * @param runnerName globally unique runner name ({@code MINITOWER_RUNNER_NAME})
 * @param registrationToken registration token, may be empty ({@code
 *     MINITOWER_RUNNER_REGISTRATION_TOKEN})
 * @param environment environment label sent at registration ({@code MINITOWER_RUNNER_ENVIRONMENT})
 * @param dataDir token file, venv cache and workspaces ({@code MINITOWER_DATA_DIR})
 * @param pythonBin interpreter used to create virtual environments ({@code MINITOWER_PYTHON_BIN})
 * @param pollInterval pause between lease polls that found no work or failed ({@code
 *     MINITOWER_POLL_INTERVAL})
 * @param killGracePeriod SIGTERM to SIGKILL delay for the workload's process group ({@code
 *     MINITOWER_KILL_GRACE_PERIOD})
 * @param concurrency runs executed at once ({@code MINITOWER_RUNNER_CONCURRENCY})
 * @param leaseWait long-poll wait of a lease request, zero disables it ({@code
 *     MINITOWER_LEASE_WAIT})
 * @param drainTimeout on shutdown, how long running work may continue before it is cancelled
 *     ({@code MINITOWER_DRAIN_TIMEOUT})
 * @param workloadPath {@code PATH} given to workloads (the agent's own {@code PATH})
 * @param passEnv names of agent variables copied into every workload ({@code
 *     MINITOWER_WORKLOAD_PASS_ENV}, comma-separated; the agent's secrets are never copied)
 * @param heartbeatMinInterval lower bound of the heartbeat interval (2 s; tests shorten it)
 * @param sandbox how workloads are confined and limited ({@code MINITOWER_SANDBOX*}, {@code
 *     MINITOWER_LIMIT_*})
 */
public record AgentConfig(
    String serverUrl,
    String runnerName,
    String registrationToken,
    String environment,
    Path dataDir,
    String pythonBin,
    Duration pollInterval,
    Duration killGracePeriod,
    int concurrency,
    Duration leaseWait,
    Duration drainTimeout,
    String workloadPath,
    Map<String, String> passEnv,
    Duration heartbeatMinInterval,
    SandboxConfig sandbox) {

  public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  /** Reads the configuration; {@code warnings} collects ignored values. */
  public static AgentConfig fromEnvironment(Map<String, String> env, List<String> warnings)
      throws ConfigException {
    String url = env.getOrDefault("MINITOWER_SERVER_URL", "");
    if (url.isEmpty()) {
      throw new ConfigException("MINITOWER_SERVER_URL is required");
    }
    String name = env.getOrDefault("MINITOWER_RUNNER_NAME", "");
    if (name.isEmpty()) {
      throw new ConfigException("MINITOWER_RUNNER_NAME is required");
    }
    String environment = env.getOrDefault("MINITOWER_RUNNER_ENVIRONMENT", "");
    String dataDir = env.getOrDefault("MINITOWER_DATA_DIR", "");
    if (dataDir.isEmpty()) {
      dataDir = env.getOrDefault("HOME", System.getProperty("user.home")) + "/.minitower";
    }
    String python = env.getOrDefault("MINITOWER_PYTHON_BIN", "");
    Duration poll = positive(env, "MINITOWER_POLL_INTERVAL", "3s");
    Duration grace = Duration.ofSeconds(10);
    String graceText = env.get("MINITOWER_KILL_GRACE_PERIOD");
    if (graceText != null && !graceText.isEmpty()) {
      try {
        Duration parsed = GoDuration.parse(graceText);
        if (parsed.isNegative()) {
          warnings.add("MINITOWER_KILL_GRACE_PERIOD is negative, using 10s");
        } else {
          grace = parsed;
        }
      } catch (IllegalArgumentException e) {
        warnings.add("invalid MINITOWER_KILL_GRACE_PERIOD, using 10s: " + e.getMessage());
      }
    }
    int concurrency = 1;
    String concurrencyText = env.getOrDefault("MINITOWER_RUNNER_CONCURRENCY", "");
    if (!concurrencyText.isEmpty()) {
      try {
        concurrency = Integer.parseInt(concurrencyText);
      } catch (NumberFormatException e) {
        throw new ConfigException("invalid MINITOWER_RUNNER_CONCURRENCY: " + concurrencyText);
      }
      if (concurrency < 1) {
        throw new ConfigException("MINITOWER_RUNNER_CONCURRENCY must be >= 1");
      }
    }
    Duration leaseWait = nonNegative(env, "MINITOWER_LEASE_WAIT", "20s");
    Duration drain = nonNegative(env, "MINITOWER_DRAIN_TIMEOUT", "30s");
    String path = env.getOrDefault("PATH", "");
    Map<String, String> pass = new java.util.LinkedHashMap<>();
    for (String key : env.getOrDefault("MINITOWER_WORKLOAD_PASS_ENV", "").split(",")) {
      String k = key.strip();
      if (k.isEmpty()) {
        continue;
      }
      if (k.startsWith("MINITOWER_")) {
        warnings.add("MINITOWER_WORKLOAD_PASS_ENV: " + k + " is never passed to workloads");
      } else if (env.containsKey(k)) {
        pass.put(k, env.get(k));
      }
    }
    return new AgentConfig(
        url,
        name,
        registrationToken(env),
        environment.isEmpty() ? "default" : environment,
        Path.of(dataDir),
        python.isEmpty() ? "python3" : python,
        poll,
        grace,
        concurrency,
        leaseWait,
        drain,
        path.isEmpty() ? DEFAULT_PATH : path,
        pass,
        Duration.ofSeconds(2),
        SandboxConfig.fromEnvironment(env));
  }

  /**
   * {@code MINITOWER_RUNNER_REGISTRATION_TOKEN}, or the first line of the file named by {@code
   * MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE} (a mounted secret keeps the token out of the process
   * environment); setting both is an error.
   */
  private static String registrationToken(Map<String, String> env) throws ConfigException {
    String inline = env.getOrDefault("MINITOWER_RUNNER_REGISTRATION_TOKEN", "");
    String file = env.getOrDefault("MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE", "");
    if (file.isEmpty()) {
      return inline;
    }
    if (!inline.isEmpty()) {
      throw new ConfigException(
          "set MINITOWER_RUNNER_REGISTRATION_TOKEN or MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE, not both");
    }
    try {
      String text = java.nio.file.Files.readString(Path.of(file)).strip();
      if (text.isEmpty()) {
        throw new ConfigException("MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE " + file + " is empty");
      }
      return text.lines().findFirst().orElse("").strip();
    } catch (java.io.IOException e) {
      throw new ConfigException(
          "cannot read MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE " + file + ": " + e.getMessage());
    }
  }

  /** A configuration with the documented defaults, for embedding and tests. */
  public static AgentConfig defaults(
      String serverUrl, String runnerName, String registrationToken, Path dataDir) {
    String path = System.getenv().getOrDefault("PATH", DEFAULT_PATH);
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        "default",
        dataDir,
        "python3",
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        1,
        Duration.ofSeconds(20),
        Duration.ofSeconds(30),
        path,
        Map.of(),
        Duration.ofSeconds(2),
        SandboxConfig.defaults());
  }

  /** The server URL without a trailing slash, ready for paths to be appended. */
  public String baseUrl() {
    return serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
  }

  public AgentConfig withPythonBin(String value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        value,
        pollInterval,
        killGracePeriod,
        concurrency,
        leaseWait,
        drainTimeout,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        sandbox);
  }

  public AgentConfig withPollInterval(Duration value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        value,
        killGracePeriod,
        concurrency,
        leaseWait,
        drainTimeout,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        sandbox);
  }

  public AgentConfig withKillGracePeriod(Duration value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        pollInterval,
        value,
        concurrency,
        leaseWait,
        drainTimeout,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        sandbox);
  }

  public AgentConfig withConcurrency(int value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        pollInterval,
        killGracePeriod,
        value,
        leaseWait,
        drainTimeout,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        sandbox);
  }

  public AgentConfig withLeaseWait(Duration value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        pollInterval,
        killGracePeriod,
        concurrency,
        value,
        drainTimeout,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        sandbox);
  }

  public AgentConfig withDrainTimeout(Duration value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        pollInterval,
        killGracePeriod,
        concurrency,
        leaseWait,
        value,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        sandbox);
  }

  public AgentConfig withHeartbeatMinInterval(Duration value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        pollInterval,
        killGracePeriod,
        concurrency,
        leaseWait,
        drainTimeout,
        workloadPath,
        passEnv,
        value,
        sandbox);
  }

  public AgentConfig withSandbox(SandboxConfig value) {
    return new AgentConfig(
        serverUrl,
        runnerName,
        registrationToken,
        environment,
        dataDir,
        pythonBin,
        pollInterval,
        killGracePeriod,
        concurrency,
        leaseWait,
        drainTimeout,
        workloadPath,
        passEnv,
        heartbeatMinInterval,
        value);
  }

  private static Duration positive(Map<String, String> env, String key, String fallback)
      throws ConfigException {
    Duration d = parse(env, key, fallback);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key + " must be > 0");
    }
    return d;
  }

  private static Duration nonNegative(Map<String, String> env, String key, String fallback)
      throws ConfigException {
    Duration d = parse(env, key, fallback);
    if (d.isNegative()) {
      throw new ConfigException(key + " must be >= 0");
    }
    return d;
  }

  private static Duration parse(Map<String, String> env, String key, String fallback)
      throws ConfigException {
    String text = env.getOrDefault(key, "");
    try {
      return GoDuration.parse(text.isEmpty() ? fallback : text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid " + key + ": " + e.getMessage());
    }
  }
}
