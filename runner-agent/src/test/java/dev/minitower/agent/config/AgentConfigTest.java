package dev.minitower.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  final List<String> warnings = new ArrayList<>();

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("MINITOWER_SERVER_URL", "http://runner-service:8081/");
    m.put("MINITOWER_RUNNER_NAME", "r1");
    m.put("HOME", "/home/agent");
    m.put("PATH", "/usr/bin:/bin");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsMatchTheOriginalPlusTheNewKeys() throws ConfigException {
    AgentConfig c = AgentConfig.fromEnvironment(env(), warnings);
    assertThat(c.baseUrl()).isEqualTo("http://runner-service:8081");
    assertThat(c.registrationToken()).isEmpty();
    assertThat(c.environment()).isEqualTo("default");
    assertThat(c.dataDir()).isEqualTo(Path.of("/home/agent/.minitower"));
    assertThat(c.pythonBin()).isEqualTo("python3");
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.killGracePeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.concurrency()).isEqualTo(1);
    assertThat(c.leaseWait()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.workloadPath()).isEqualTo("/usr/bin:/bin");
    assertThat(warnings).isEmpty();
  }

  @Test
  void requiredValuesAndInvalidDurationsAreConfigErrors() {
    Map<String, String> noUrl = env();
    noUrl.remove("MINITOWER_SERVER_URL");
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(noUrl, warnings))
        .hasMessage("MINITOWER_SERVER_URL is required");
    Map<String, String> noName = env();
    noName.remove("MINITOWER_RUNNER_NAME");
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(noName, warnings))
        .hasMessage("MINITOWER_RUNNER_NAME is required");
    assertThatThrownBy(
            () -> AgentConfig.fromEnvironment(env("MINITOWER_POLL_INTERVAL", "soon"), warnings))
        .hasMessageStartingWith("invalid MINITOWER_POLL_INTERVAL: ");
    assertThatThrownBy(
            () -> AgentConfig.fromEnvironment(env("MINITOWER_POLL_INTERVAL", "0s"), warnings))
        .hasMessage("MINITOWER_POLL_INTERVAL must be > 0");
    assertThatThrownBy(
            () -> AgentConfig.fromEnvironment(env("MINITOWER_RUNNER_CONCURRENCY", "0"), warnings))
        .hasMessage("MINITOWER_RUNNER_CONCURRENCY must be >= 1");
  }

  @Test
  void unparseableGracePeriodIsIgnoredWithAWarning() throws ConfigException {
    AgentConfig c =
        AgentConfig.fromEnvironment(env("MINITOWER_KILL_GRACE_PERIOD", "later"), warnings);
    assertThat(c.killGracePeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(warnings).hasSize(1);
  }

  @Test
  void passEnvCopiesNamedVariablesButNeverTheAgentsOwn() throws ConfigException {
    AgentConfig c =
        AgentConfig.fromEnvironment(
            env(
                "MINITOWER_WORKLOAD_PASS_ENV",
                    "HTTPS_PROXY, MINITOWER_RUNNER_REGISTRATION_TOKEN,UNSET",
                "HTTPS_PROXY", "http://proxy:3128",
                "MINITOWER_RUNNER_REGISTRATION_TOKEN", "secret"),
            warnings);
    assertThat(c.passEnv()).containsExactly(Map.entry("HTTPS_PROXY", "http://proxy:3128"));
    assertThat(warnings).singleElement().asString().contains("never passed");
  }
}
