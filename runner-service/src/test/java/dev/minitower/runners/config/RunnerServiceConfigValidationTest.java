package dev.minitower.runners.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.ConfigMappings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * runner-service's settings: without a registration token, or with a bad lease timing, no start.
 */
class RunnerServiceConfigValidationTest {
  private static final String TOKEN = "minitower.runner-registration-token";

  private static String refusal(String key, String value) {
    Map<String, String> values = new HashMap<>(Map.of(TOKEN, "platform-secret"));
    values.put(key, value);
    return ConfigMappings.refusal(RunnerServiceConfig.class, values);
  }

  @Test
  void aTokenAndDefaultsAreValid() {
    RunnerServiceConfig config =
        ConfigMappings.build(RunnerServiceConfig.class, Map.of(TOKEN, "platform-secret"));
    assertThat(config.runnerRegistrationToken()).isEqualTo("platform-secret");
    assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void missingRegistrationTokenRefusesToStart() {
    assertThat(ConfigMappings.refusal(RunnerServiceConfig.class, Map.of())).contains(TOKEN);
  }

  @Test
  void blankRegistrationTokenRefusesToStart() {
    assertThat(refusal(TOKEN, "   ")).contains(TOKEN + " must not be blank");
  }

  @Test
  void leaseTtlMustBePositive() {
    assertThat(refusal("minitower.lease-ttl", "0s"))
        .contains("minitower.lease-ttl must be longer than 0");
    assertThat(refusal("minitower.lease-ttl", "-5s"))
        .contains("minitower.lease-ttl must be longer than 0");
  }

  @Test
  void leaseRecheckIntervalMustBePositive() {
    assertThat(refusal("minitower.lease-recheck-interval", "0s"))
        .contains("minitower.lease-recheck-interval must be longer than 0");
  }

  @Test
  void leaseMaxWaitMayBeZeroButNotNegative() {
    assertThat(refusal("minitower.lease-max-wait", "0s")).isNull();
    assertThat(refusal("minitower.lease-max-wait", "-1s"))
        .contains("minitower.lease-max-wait must be longer than or equal to 0");
  }

  @Test
  void leaseTtlReadsGoDurations() {
    assertThat(
            ConfigMappings.build(
                    RunnerServiceConfig.class,
                    Map.of(TOKEN, "platform-secret", "minitower.lease-ttl", "1.5m"))
                .leaseTtl())
        .isEqualTo(Duration.ofSeconds(90));
  }
}
