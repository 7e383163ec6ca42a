package dev.minitower.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMapping;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The converter is the one a service's {@code @ConfigMapping} uses for its durations. */
@QuarkusTest
class GoDurationConfigTest {

  @ConfigMapping(prefix = "platform-test")
  interface Durations {
    Duration goDuration();

    Duration quarkusDuration();
  }

  @Inject Durations durations;

  @Test
  void aMappingReadsGoAndQuarkusDurations() {
    assertThat(durations.goDuration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(durations.quarkusDuration()).isEqualTo(Duration.ofSeconds(2));
  }
}
