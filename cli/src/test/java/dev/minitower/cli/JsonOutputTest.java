package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.output.Table;
import org.junit.jupiter.api.Test;

/** The {@code --json} layout and the text tables. */
class JsonOutputTest {
  @Test
  void prettyPrintUsesTwoSpacesColonSpaceAndOneElementPerLine() {
    String out =
        JsonOutput.pretty(
            JsonOutput.parse("{\"a\":1,\"b\":[1,\"x\",null],\"c\":{\"d\":true},\"e\":1.5}"));

    assertThat(out)
        .isEqualTo(
            """
            {
              "a": 1,
              "b": [
                1,
                "x",
                null
              ],
              "c": {
                "d": true
              },
              "e": 1.5
            }
            """);
  }

  @Test
  void emptyContainersHaveNoInnerSpace() {
    assertThat(JsonOutput.pretty(JsonOutput.parse("{\"runs\":[],\"input\":{}}")))
        .isEqualTo("{\n  \"runs\": [],\n  \"input\": {}\n}\n");
  }

  @Test
  void fieldOrderOfTheServerIsKept() {
    assertThat(JsonOutput.pretty(JsonOutput.parse("{\"z\":1,\"a\":2}")))
        .isEqualTo("{\n  \"z\": 1,\n  \"a\": 2\n}\n");
  }

  @Test
  void tableAlignsColumnsWithTwoSpacesAndNoTrailingBlanks() {
    String t = new Table("ID", "NAME", "NOTE").row(1, "alpha", null).row(22, "b", "x y").render();

    assertThat(t).isEqualTo("ID  NAME   NOTE\n1   alpha  -\n22  b      x y\n");
  }

  @Test
  void tableEscapesControlCharactersFromTheServer() {
    String t = new Table("DESCRIPTION").row("evil\u001b]0;pwned\u0007").render();

    assertThat(t).isEqualTo("DESCRIPTION\nevil\\x1b]0;pwned\\x07\n");
  }
}
