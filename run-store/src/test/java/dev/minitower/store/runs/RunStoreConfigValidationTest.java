package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.ConfigMappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry backoff may be zero (retry at once) but never negative. */
class RunStoreConfigValidationTest {

  @Test
  void defaultsAreValid() {
    RunStoreConfig config = ConfigMappings.build(RunStoreConfig.class, Map.of());
    assertThat(config.retryBackoffBase()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void negativeBackoffRefusesToStart() {
    assertThat(
            ConfigMappings.refusal(
                RunStoreConfig.class, Map.of("minitower.runs.retry-backoff-base", "-5s")))
        .contains("minitower.runs.retry-backoff-base must be longer than or equal to 0");
  }

  @Test
  void zeroBackoffStarts() {
    assertThat(
            ConfigMappings.refusal(
                RunStoreConfig.class,
                Map.of(
                    "minitower.runs.retry-backoff-base", "0s",
                    "minitower.runs.retry-backoff-max", "0s")))
        .isNull();
  }
}
