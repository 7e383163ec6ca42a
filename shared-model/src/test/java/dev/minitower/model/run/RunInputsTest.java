package dev.minitower.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RunInputsTest {

  @Test
  void anInputUpToTheCapFitsAndOneByteMoreDoesNot() {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    // {"k":"…"} is 8 bytes around the value.
    input.put("k", "v".repeat(RunInputs.MAX_BYTES - 8));
    assertThat(RunInputs.sizeViolation(input)).isEmpty();
    input.put("k", "v".repeat(RunInputs.MAX_BYTES - 7));
    assertThat(RunInputs.sizeViolation(input))
        .contains(
            "input is too large: 131073 bytes as JSON, at most 131072 (each key becomes an"
                + " environment variable of the run)");
  }

  @Test
  void sizeIsCountedInUtf8Bytes() {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("k", "é".repeat(RunInputs.MAX_BYTES / 2));
    assertThat(RunInputs.sizeViolation(input)).isPresent();
    assertThat(RunInputs.sizeViolation(null)).isEmpty();
    assertThat(RunInputs.sizeViolation(JsonNodeFactory.instance.nullNode())).isEmpty();
  }
}
