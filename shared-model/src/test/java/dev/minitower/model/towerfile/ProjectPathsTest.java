package dev.minitower.model.towerfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectPathsTest {

  @ParameterizedTest
  @CsvSource({
    "'', .",
    "., .",
    "./, .",
    "a/./b, a/b",
    "a/../b, b",
    "a//b/, a/b",
    "../x, ../x",
    "a/../../x, ../x",
    "../../a, ../../a",
    "/../x, /x",
    "/, /",
    "./**/*.py, **/*.py",
  })
  void cleanFollowsGoPathClean(String input, String expected) {
    assertThat(ProjectPaths.clean(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "../x, true",
    "a/../../x, true",
    "..foo, true",
    "..,true",
    "/etc/x.py, false",
    "./lib, false",
    "a/..b, false",
    "a/../b, false",
    "'', false",
  })
  void escapesRootUsesThePrefixTestAfterCleaning(String path, boolean escapes) {
    assertThat(ProjectPaths.escapesRoot(path)).isEqualTo(escapes);
  }

  @ParameterizedTest
  @CsvSource({"./x, x", "x, x", "/x, x", "a/./b/../c, a/c", "./, ''", "'', ''"})
  void relativeToRootNeutralisesLeadingDotsAndSlashes(String path, String expected) {
    assertThat(ProjectPaths.relativeToRoot(path)).isEqualTo(expected);
  }
}
