package dev.minitower.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.ConfigMappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scheduler-service's settings: a negative or zero value where a step needs a positive one refuses
 * to start; the loops that a zero or negative interval disables still accept it.
 */
class SchedulerConfigValidationTest {

  private static String refusal(String key, String value) {
    return ConfigMappings.refusal(SchedulerConfig.class, Map.of(key, value));
  }

  @Test
  void defaultsAreValid() {
    SchedulerConfig config = ConfigMappings.build(SchedulerConfig.class, Map.of());
    assertThat(config.outbox().pollInterval()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void negativePollIntervalRefusesToStart() {
    assertThat(refusal("minitower.outbox.poll-interval", "-1s"))
        .contains("minitower.outbox.poll-interval must be longer than 0");
  }

  @Test
  void intervalsTheRelayAndRetentionNeedMustBePositive() {
    for (String key :
        new String[] {
          "minitower.lease-ttl",
          "minitower.outbox.standby-interval",
          "minitower.outbox.max-backoff",
          "minitower.retention.interval"
        }) {
      assertThat(refusal(key, "0s")).as(key).contains(key + " must be longer than 0");
    }
  }

  @Test
  void batchSizesMustBePositive() {
    for (String key :
        new String[] {
          "minitower.reaper-batch-size",
          "minitower.schedules.batch-size",
          "minitower.outbox.batch-size",
          "minitower.retention.batch-size"
        }) {
      assertThat(refusal(key, "0")).as(key).contains(key + " must be greater than 0");
    }
  }

  @Test
  void gaugeTimingsHaveTheirFloors() {
    assertThat(refusal("minitower.gauges.cache-ttl", "100ms"))
        .contains("minitower.gauges.cache-ttl must be longer than or equal to 500 millis");
    assertThat(refusal("minitower.gauges.query-timeout", "500ms"))
        .contains("minitower.gauges.query-timeout must be longer than or equal to 1 second");
  }

  @Test
  void graceAndOutboxRetentionMayBeZeroButNotNegative() {
    assertThat(refusal("minitower.schedules.misfire-grace", "0s")).isNull();
    assertThat(refusal("minitower.schedules.misfire-grace", "-1s"))
        .contains("minitower.schedules.misfire-grace must be longer than or equal to 0");
    assertThat(refusal("minitower.outbox.retention", "-1h"))
        .contains("minitower.outbox.retention must be longer than or equal to 0");
  }

  @Test
  void aZeroOrNegativeIntervalStillDisablesItsLoop() {
    assertThat(refusal("minitower.expiry-check-interval", "0s")).isNull();
    assertThat(refusal("minitower.schedules.check-interval", "-1s")).isNull();
    assertThat(refusal("minitower.retention.logs", "0s")).isNull();
    assertThat(refusal("minitower.runner-prune-after", "0s")).isNull();
  }

  @Test
  void durationsReadGoSyntax() {
    assertThat(
            ConfigMappings.build(SchedulerConfig.class, Map.of("minitower.lease-ttl", "1.5m"))
                .leaseTtl())
        .isEqualTo(Duration.ofSeconds(90));
  }
}
