package dev.minitower.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
  private static final ObjectMapper MAPPER = StrictJson.newMapper();

  record Body(
      @JsonProperty("name") String name,
      @JsonProperty("priority") Integer priority,
      @JsonProperty("input") JsonNode input,
      @JsonProperty("labels") Map<String, String> labels,
      @JsonProperty("items") List<Item> items) {}

  record Item(@JsonProperty("line") String line) {}

  private static Body read(String json) throws IOException {
    return StrictJson.read(
        MAPPER, json.getBytes(StandardCharsets.UTF_8), Body.class, StrictJson.Text.CHECKED);
  }

  private static String problem(String json) {
    try {
      read(json);
    } catch (JsonProcessingException e) {
      return StrictJson.describe(e);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void nulIsRefusedWhereverItIsAndTheFieldIsNamed() {
    assertThat(problem("{\"name\":\"a\\u0000b\"}"))
        .isEqualTo("field 'name' must not contain NUL characters");
    assertThat(problem("{\"input\":{\"k\":[\"ok\",\"\\u0000\"]}}"))
        .isEqualTo("field 'input.k[1]' must not contain NUL characters");
    assertThat(problem("{\"items\":[{\"line\":\"x\"},{\"line\":\"\\u0000\"}]}"))
        .isEqualTo("field 'items[1].line' must not contain NUL characters");
    assertThat(problem("{\"labels\":{\"a\\u0000\":\"v\"}}"))
        .isEqualTo("field name 'labels.a\\u0000' must not contain NUL characters");
  }

  @Test
  void loneSurrogatesAreRefusedAndPairsAccepted() throws IOException {
    assertThat(problem("{\"input\":{\"k\":\"\\ud800\"}}"))
        .isEqualTo("field 'input.k' contains an unpaired surrogate (not valid Unicode)");
    assertThat(problem("{\"name\":\"\\udc00x\"}")).contains("unpaired surrogate");
    assertThat(read("{\"name\":\"\\ud83d\\ude00\"}").name()).isEqualTo("\uD83D\uDE00");
    assertThat(read("{\"name\":\"😀 é\"}").name()).isEqualTo("😀 é");
  }

  @Test
  void fieldNamesMatchExactlySoACaseVariantIsNotASilentDuplicate() {
    assertThat(problem("{\"priority\":1,\"PRIORITY\":2}")).isEqualTo("unknown field 'PRIORITY'");
    assertThat(problem("{\"Name\":\"x\"}")).isEqualTo("unknown field 'Name'");
    assertThat(problem("{\"priority\":1,\"priority\":2}")).startsWith("duplicate field 'priority'");
  }

  @Test
  void wrongTypesTrailingDataAndUnknownFieldsAreRefused() {
    assertThat(problem("{\"name\":123}")).isEqualTo("field 'name' has the wrong type");
    assertThat(problem("{\"priority\":\"1\"}")).isEqualTo("field 'priority' has the wrong type");
    assertThat(problem("{\"priority\":1.5}")).isEqualTo("field 'priority' has the wrong type");
    assertThat(problem("{\"name\":\"x\"} garbage")).isNotBlank();
    assertThat(problem("{\"team_id\":1}")).isEqualTo("unknown field 'team_id'");
  }

  @Test
  void asDataLeavesStringsToTheCaller() throws IOException {
    Item item =
        StrictJson.read(
            MAPPER,
            "{\"line\":\"a\\u0000\\ud800\"}".getBytes(StandardCharsets.UTF_8),
            Item.class,
            StrictJson.Text.AS_DATA);
    assertThat(item.line()).isEqualTo("a\0\uD800");
    assertThatThrownBy(
            () ->
                StrictJson.read(
                    MAPPER,
                    "{\"line\":1}".getBytes(StandardCharsets.UTF_8),
                    Item.class,
                    StrictJson.Text.AS_DATA))
        .isInstanceOf(JsonProcessingException.class);
  }
}
