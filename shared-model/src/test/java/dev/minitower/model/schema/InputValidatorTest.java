package dev.minitower.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputValidatorTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Optional<String> validate(String schema, String input) {
    return InputValidator.validate(json(schema), input == null ? null : json(input));
  }

  private static final String COUNT_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"}}}";

  @Test
  void wrongTypeIsReportedWithItsPath() {
    assertThat(validate(COUNT_SCHEMA, "{\"count\":\"ten\"}")).contains("$.count has invalid type");
  }

  @Test
  void matchingInputIsValid() {
    assertThat(validate(COUNT_SCHEMA, "{\"count\":10}")).isEmpty();
  }

  @Test
  void missingInputIsTreatedAsAnEmptyObject() {
    assertThat(validate(COUNT_SCHEMA, null)).isEmpty();
    assertThat(InputValidator.validate(json(COUNT_SCHEMA), NullNode.getInstance())).isEmpty();
  }

  @Test
  void missingInputStillHasToSatisfyRequired() {
    assertThat(validate("{\"type\":\"object\",\"required\":[\"a\"]}", null))
        .contains("$.a is required");
  }

  @Test
  void extraKeysAndOmittedParametersAreAllowedByGeneratedSchemas() {
    assertThat(validate(COUNT_SCHEMA, "{\"other\":[1,2]}")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "integer|3|",
        "integer|3.0|",
        "integer|3.5|$.v has invalid type",
        "integer|\"3\"|$.v has invalid type",
        "number|3.5|",
        "number|3|",
        "number|\"3\"|$.v has invalid type",
        "string|\"x\"|",
        "string|1|$.v has invalid type",
        "boolean|true|",
        "boolean|1|$.v has invalid type",
        "null|null|",
        "null|0|$.v has invalid type",
        "array|[]|",
        "array|{}|$.v has invalid type",
        "object|{}|",
        "object|[]|$.v has invalid type",
        "integer|null|$.v has invalid type",
        "string|null|$.v has invalid type",
        "integer|1e400|",
      })
  void typeRulesFollowTheSpec(String type, String value, String expected) {
    String schema = "{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"" + type + "\"}}}";
    assertThat(validate(schema, "{\"v\":" + value + "}")).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void typeMayBeAList() {
    String schema = "{\"properties\":{\"v\":{\"type\":[\"string\",\"null\"]}}}";
    assertThat(validate(schema, "{\"v\":null}")).isEmpty();
    assertThat(validate(schema, "{\"v\":\"x\"}")).isEmpty();
    assertThat(validate(schema, "{\"v\":1}")).contains("$.v has invalid type");
  }

  @Test
  void requiredKeyMissing() {
    assertThat(validate("{\"type\":\"object\",\"required\":[\"b\",\"a\"]}", "{\"b\":1}"))
        .contains("$.a is required");
  }

  @Test
  void additionalPropertiesFalseForbidsUnknownKeys() {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"a\":{}},\"additionalProperties\":false}";
    assertThat(validate(schema, "{\"a\":1,\"z\":2}")).contains("$.z is not allowed");
  }

  @Test
  void additionalPropertiesSchemaValidatesUnknownKeys() {
    String schema = "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}";
    assertThat(validate(schema, "{\"a\":\"x\",\"b\":2}")).contains("$.b has invalid type");
  }

  @Test
  void enumUsesDeepEqualityWithNumbersAsDoubles() {
    String schema = "{\"properties\":{\"v\":{\"enum\":[1,\"a\",{\"k\":[2]}]}}}";
    assertThat(validate(schema, "{\"v\":1.0}")).isEmpty();
    assertThat(validate(schema, "{\"v\":\"a\"}")).isEmpty();
    assertThat(validate(schema, "{\"v\":{\"k\":[2.0]}}")).isEmpty();
    assertThat(validate(schema, "{\"v\":\"b\"}")).contains("$.v is not in enum");
  }

  @Test
  void enumIsCheckedBeforeType() {
    String schema = "{\"properties\":{\"v\":{\"type\":\"integer\",\"enum\":[1,2]}}}";
    assertThat(validate(schema, "{\"v\":\"x\"}")).contains("$.v is not in enum");
  }

  @Test
  void arrayBoundsAndItems() {
    String schema =
        "{\"properties\":{\"v\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":2,"
            + "\"items\":{\"type\":\"string\"}}}}";
    assertThat(validate(schema, "{\"v\":[]}")).contains("$.v has too few items");
    assertThat(validate(schema, "{\"v\":[\"a\",\"b\",\"c\"]}")).contains("$.v has too many items");
    assertThat(validate(schema, "{\"v\":[\"a\",2]}")).contains("$.v[1] has invalid type");
    assertThat(validate(schema, "{\"v\":[\"a\"]}")).isEmpty();
  }

  @Test
  void stringLengthCountsCodePoints() {
    String schema = "{\"properties\":{\"v\":{\"minLength\":2,\"maxLength\":3}}}";
    assertThat(validate(schema, "{\"v\":\"a\"}")).contains("$.v is too short");
    assertThat(validate(schema, "{\"v\":\"abcd\"}")).contains("$.v is too long");
    assertThat(validate(schema, "{\"v\":\"😀😀😀\"}")).isEmpty();
  }

  @Test
  void numericBoundsAreInclusive() {
    String schema = "{\"properties\":{\"v\":{\"minimum\":1,\"maximum\":10}}}";
    assertThat(validate(schema, "{\"v\":1}")).isEmpty();
    assertThat(validate(schema, "{\"v\":10}")).isEmpty();
    assertThat(validate(schema, "{\"v\":0.5}")).contains("$.v is below minimum");
    assertThat(validate(schema, "{\"v\":10.01}")).contains("$.v is above maximum");
  }

  @Test
  void nullWhereAnObjectIsWantedMustBeAnObject() {
    String schema = "{\"properties\":{\"cfg\":{\"type\":\"object\",\"properties\":{}}}}";
    assertThat(validate(schema, "{\"cfg\":null}")).contains("$.cfg must be an object");
  }

  @Test
  void nestedPathsUseDotsAndBrackets() {
    String schema =
        "{\"properties\":{\"a\":{\"properties\":{\"b\":{\"items\":{\"properties\":"
            + "{\"c\":{\"type\":\"boolean\"}}}}}}}}";
    assertThat(validate(schema, "{\"a\":{\"b\":[{\"c\":true},{\"c\":1}]}}"))
        .contains("$.a.b[1].c has invalid type");
  }

  @Test
  void errorsAreReportedInSortedPropertyOrder() {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"zeta\":{\"type\":\"integer\"},"
            + "\"alpha\":{\"type\":\"integer\"},\"mid\":{\"type\":\"integer\"}}}";
    for (int i = 0; i < 20; i++) {
      assertThat(validate(schema, "{\"zeta\":\"x\",\"mid\":\"y\",\"alpha\":\"z\"}"))
          .contains("$.alpha has invalid type");
    }
  }

  @Test
  void requiredIsCheckedBeforePropertyTypes() {
    String schema =
        "{\"type\":\"object\",\"required\":[\"b\"],\"properties\":{\"a\":{\"type\":\"integer\"}}}";
    assertThat(validate(schema, "{\"a\":\"x\"}")).contains("$.b is required");
  }

  @Test
  void unknownKeywordsAreIgnored() {
    String schema =
        "{\"properties\":{\"v\":{\"pattern\":\"^a$\",\"format\":\"email\",\"const\":3,\"$ref\":\"#\"}}}";
    assertThat(validate(schema, "{\"v\":\"zzz\"}")).isEmpty();
  }

  @Test
  void rootTypeMismatchUsesTheRootPath() {
    assertThat(validate(COUNT_SCHEMA, "[1]")).contains("$ has invalid type");
  }

  @Test
  void deeplyNestedInputIsValidatedWithoutRecursingIntoIt() {
    String deep = "[".repeat(900) + "]".repeat(900);
    assertThat(validate(COUNT_SCHEMA, "{\"other\":" + deep + "}")).isEmpty();
    assertThat(validate(COUNT_SCHEMA, "{\"count\":" + deep + "}"))
        .contains("$.count has invalid type");
  }

  @Test
  void deeplyNestedSchemaIsCutOffAtTheDepthGuard() {
    StringBuilder schema = new StringBuilder();
    StringBuilder input = new StringBuilder();
    int depth = 200;
    for (int i = 0; i < depth; i++) {
      schema.append("{\"properties\":{\"a\":");
      input.append("{\"a\":");
    }
    schema.append("{\"type\":\"string\"}").append("}}".repeat(depth));
    input.append("1").append("}".repeat(depth));

    assertThat(validate(schema.toString(), input.toString())).isEmpty();
  }

  @Test
  void nonObjectSchemaConstrainsNothing() {
    assertThat(InputValidator.validate(null, json("{\"a\":1}"))).isEmpty();
    assertThat(validate("true", "{\"a\":1}")).isEmpty();
  }
}
