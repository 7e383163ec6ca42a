package dev.minitower.model.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The cases of Go's {@code time.ParseDuration} tests that matter here. */
class GoDurationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, 0",
    "-0, 0",
    "+0, 0",
    "5s, 5000000000",
    "30s, 30000000000",
    "1478s, 1478000000000",
    "-5s, -5000000000",
    "+5s, 5000000000",
    "-0s, 0",
    "5.0s, 5000000000",
    "5.6s, 5600000000",
    "5.s, 5000000000",
    ".5s, 500000000",
    "1.0s, 1000000000",
    "1.004s, 1004000000",
    "100.00100s, 100001000000",
    "10ns, 10",
    "11us, 11000",
    "12µs, 12000",
    "12μs, 12000",
    "13ms, 13000000",
    "14s, 14000000000",
    "15m, 900000000000",
    "1.5m, 90000000000",
    "16h, 57600000000000",
    "1.5h, 5400000000000",
    "3h30m, 12600000000000",
    "10.5s4m, 250500000000",
    "-2m3.4s, -123400000000",
    "1h2m3s4ms5us6ns, 3723004005006",
    "39h9m14.425s, 140954425000000",
    "52763797000ns, 52763797000",
    "0.3333333333333333333h, 1200000000000",
    "9007199254740993ns, 9007199254740993",
    "9223372036854775807ns, 9223372036854775807",
    "9223372036854775.807us, 9223372036854775807",
    "-9223372036854775808ns, -9223372036854775808",
    "0.100000000000000000000h, 360000000000",
  })
  void parsesWhatGoParses(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {"", "3", "-", "+", "s", ".", "-.", ".s", "+.s", "3 s", " 3s", "1.s5", "x3s"})
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration \"" + text + "\"");
  }

  @Test
  void namesAMissingOrUnknownUnit() {
    assertThatThrownBy(() -> GoDuration.parse("3"))
        .hasMessage("time: missing unit in duration \"3\"");
    assertThatThrownBy(() -> GoDuration.parse("5d"))
        .hasMessage("time: unknown unit \"d\" in duration \"5d\"");
    assertThatThrownBy(() -> GoDuration.parse("1m30x"))
        .hasMessage("time: unknown unit \"x\" in duration \"1m30x\"");
  }

  /** Both copies this replaces wrapped 3000000h (10.8e18 ns) around to a negative duration. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "3000000h",
        "-3000000h",
        "9223372036854775808ns",
        "-9223372036854775809ns",
        "9223372036.854775808s",
        "2562048h",
        "2562047h48m",
        "1h9223372036854775807ns"
      })
  void refusesWhatDoesNotFitInt64Nanoseconds(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time: invalid duration \"" + text + "\"");
  }

  @Test
  void theLargestDurationStillParses() {
    assertThat(GoDuration.parse("2562047h47m16.854775807s"))
        .isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void nullIsInvalid() {
    assertThatThrownBy(() -> GoDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
