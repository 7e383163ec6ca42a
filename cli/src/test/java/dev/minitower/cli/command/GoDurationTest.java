package dev.minitower.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --interval}/{@code --expires-in} values in Go duration syntax. */
class GoDurationTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2s, 2000",
    "500ms, 500",
    "1m30s, 90000",
    "1.5s, 1500",
    "1h, 3600000",
    "3, 3000",
    ".5s, 500",
  })
  void parsesGoDurations(String text, long millis) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> GoDuration.parse("2 s")).hasMessage("invalid duration \"2 s\"");
    assertThatThrownBy(() -> GoDuration.parse("")).hasMessage("invalid duration \"\"");
    assertThatThrownBy(() -> GoDuration.parse("5d")).hasMessage("invalid duration \"5d\"");
  }
}
