package dev.minitower.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations in settings: Go syntax as the original, Quarkus' forms for Quarkus' own keys. */
class GoDurationConverterTest {
  private final GoDurationConverter converter = new GoDurationConverter();

  @Test
  void readsGoDurations() {
    assertThat(converter.convert("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(converter.convert("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(converter.convert("0s")).isZero();
  }

  @Test
  void keepsQuarkusForms() {
    assertThat(converter.convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(converter.convert("1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(converter.convert("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(converter.convert("10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(converter.convert("0")).isZero();
  }

  @Test
  void refusesOverflowAndGarbageClearly() {
    assertThatThrownBy(() -> converter.convert("3000000h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time: invalid duration \"3000000h\"");
    assertThatThrownBy(() -> converter.convert("soon"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
