package dev.minitower.model.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireTextTest {

  @Test
  void storableTextHasNoViolation() {
    assertThat(WireText.violation(null)).isNull();
    assertThat(WireText.violation("")).isNull();
    assertThat(WireText.violation("héllo \uD83D\uDE00 \u001b[31m")).isNull();
  }

  @Test
  void nulAndLoneSurrogatesAreViolations() {
    assertThat(WireText.violation("a\0")).isEqualTo("must not contain NUL characters");
    assertThat(WireText.violation("\uD800")).contains("unpaired surrogate");
    assertThat(WireText.violation("x\uDC00")).contains("unpaired surrogate");
    assertThat(WireText.violation("\uD800x")).contains("unpaired surrogate");
  }

  @Test
  void cleanReplacesOnlyWhatCannotBeStored() {
    assertThat(WireText.clean(null)).isNull();
    assertThat(WireText.clean("ok \uD83D\uDE00")).isEqualTo("ok \uD83D\uDE00");
    assertThat(WireText.clean("a\0b\uD800c\uDC00\uD83D\uDE00"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFD\uD83D\uDE00");
  }
}
