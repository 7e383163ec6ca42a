package dev.minitower.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentNamesTest {

  @Test
  void namesFollowTheSchemaRule() {
    assertThat(EnvironmentNames.isValid("default")).isTrue();
    assertThat(EnvironmentNames.isValid("gpu_2.prod-eu")).isTrue();
    assertThat(EnvironmentNames.isValid("x".repeat(63))).isTrue();
    assertThat(EnvironmentNames.isValid("x".repeat(64))).isFalse();
    assertThat(EnvironmentNames.isValid("../../x")).isFalse();
    assertThat(EnvironmentNames.isValid("a/b")).isFalse();
    assertThat(EnvironmentNames.isValid("Prod")).isFalse();
    assertThat(EnvironmentNames.isValid("")).isFalse();
    assertThat(EnvironmentNames.isValid(null)).isFalse();
    assertThat(EnvironmentNames.isValid("prod\n")).isFalse();
  }
}
