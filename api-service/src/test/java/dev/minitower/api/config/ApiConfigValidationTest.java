package dev.minitower.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.ConfigMappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The range of each api-service setting: a value out of range refuses to start, naming the key. */
class ApiConfigValidationTest {

  private static String refusal(String key, String value) {
    return ConfigMappings.refusal(ApiConfig.class, Map.of(key, value));
  }

  @Test
  void defaultsAreValid() {
    ApiConfig config = ConfigMappings.build(ApiConfig.class, Map.of());
    assertThat(config.bcryptCost()).isEqualTo(12);
    assertThat(config.liveTokenCheckInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void bcryptCostBelowFourRefusesToStart() {
    assertThat(refusal("minitower.bcrypt-cost", "3"))
        .contains("minitower.bcrypt-cost must be greater than or equal to 4");
  }

  @Test
  void bcryptCostAboveThirtyOneRefusesToStart() {
    assertThat(refusal("minitower.bcrypt-cost", "32"))
        .contains("minitower.bcrypt-cost must be less than or equal to 31");
  }

  @Test
  void bcryptCostsFourAndThirtyOneStart() {
    assertThat(refusal("minitower.bcrypt-cost", "4")).isNull();
    assertThat(refusal("minitower.bcrypt-cost", "31")).isNull();
  }

  @Test
  void bodyCapsMustBePositive() {
    assertThat(refusal("minitower.max-request-body-size", "0"))
        .contains("minitower.max-request-body-size must be greater than 0");
    assertThat(refusal("minitower.max-artifact-size", "-1"))
        .contains("minitower.max-artifact-size must be greater than 0");
    assertThat(refusal("minitower.max-anonymous-body-size", "0"))
        .contains("minitower.max-anonymous-body-size must be greater than 0");
  }

  @Test
  void rateLimitsMustBePositive() {
    assertThat(refusal("minitower.login-rate-per-minute", "0"))
        .contains("minitower.login-rate-per-minute must be greater than 0");
    assertThat(refusal("minitower.signup-rate-per-minute", "-5"))
        .contains("minitower.signup-rate-per-minute must be greater than 0");
  }

  @Test
  void runCreateGroupLimitsAreBounded() {
    ApiConfig defaults = ConfigMappings.build(ApiConfig.class, Map.of());
    assertThat(defaults.runCreateBatchSize()).isEqualTo(64);
    assertThat(defaults.runCreateConcurrency()).isEqualTo(2);
    assertThat(refusal("minitower.run-create-batch-size", "0"))
        .contains("minitower.run-create-batch-size must be greater than or equal to 1");
    assertThat(refusal("minitower.run-create-batch-size", "1001"))
        .contains("minitower.run-create-batch-size must be less than or equal to 1000");
    assertThat(refusal("minitower.run-create-concurrency", "0"))
        .contains("minitower.run-create-concurrency must be greater than or equal to 1");
    assertThat(refusal("minitower.run-create-concurrency", "65"))
        .contains("minitower.run-create-concurrency must be less than or equal to 64");
    assertThat(refusal("minitower.run-create-batch-size", "1")).isNull();
  }

  @Test
  void liveTokenCheckIntervalBelowOneHundredMillisecondsRefusesToStart() {
    assertThat(refusal("minitower.live-token-check-interval", "50ms"))
        .contains("minitower.live-token-check-interval must be longer than or equal to 100 millis");
  }

  @Test
  void liveTokenCheckIntervalReadsGoDurations() {
    ApiConfig config =
        ConfigMappings.build(
            ApiConfig.class, Map.of("minitower.live-token-check-interval", "1.5m"));
    assertThat(config.liveTokenCheckInterval()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void everyBadValueIsReported() {
    assertThat(
            ConfigMappings.refusal(
                ApiConfig.class,
                Map.of("minitower.bcrypt-cost", "3", "minitower.login-rate-per-minute", "0")))
        .contains("minitower.bcrypt-cost")
        .contains("minitower.login-rate-per-minute");
  }
}
