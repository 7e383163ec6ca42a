package dev.minitower.model.towerfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlugRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"abc", "my-app", "a--", "a-b-", "abcdefghijklmnopqrstuvwxyz012345"})
  void validSlugsPass(String slug) {
    assertThat(SlugRules.violation(slug)).isEmpty();
  }

  @Test
  void emptySlugIsRejectedFirst() {
    assertThat(SlugRules.violation("")).contains("slug cannot be empty");
  }

  @Test
  void lengthIsCountedInBytes() {
    assertThat(SlugRules.violation("é")).contains("slug must be at least 3 characters");
  }

  @Test
  void trailingNewlineIsNotAllowed() {
    assertThat(SlugRules.violation("abc\n")).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "admin", "system", "internal", "default"})
  void reservedSlugsAreRejected(String slug) {
    assertThat(SlugRules.violation(slug)).contains("slug is reserved");
  }
}
