package dev.minitower.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void parsesGoSyntax() {
    assertThat(GoDuration.parse("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("0")).isZero();
    assertThat(GoDuration.parse("-2s")).isEqualTo(Duration.ofSeconds(-2));
    assertThat(GoDuration.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
  }

  @Test
  void rejectsWhatGoRejects() {
    for (String bad : new String[] {"", "3", "s", "3 s", "3x", "1.s5", "."}) {
      assertThatThrownBy(() -> GoDuration.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
