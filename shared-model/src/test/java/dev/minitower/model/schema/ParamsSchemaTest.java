package dev.minitower.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.model.towerfile.Towerfile;
import dev.minitower.model.towerfile.TowerfileParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamsSchemaTest {

  private static List<Towerfile.Parameter> parameters(String toml) {
    return TowerfileParser.parse("[app]\nname = \"my-app\"\nscript = \"main.py\"\n" + toml)
        .parameters();
  }

  // TF-20
  @Test
  void schemaHasOnePropertyPerParameterWithOptionalDescriptionAndDefault() {
    ObjectNode schema =
        ParamsSchema.fromParameters(
            parameters(
                """
                [[parameters]]
                name = "region"
                type = "string"
                description = "AWS region"
                default = "us-east-1"

                [[parameters]]
                name = "count"
                type = "integer"

                [[parameters]]
                name = "verbose"
                type = "boolean"
                default = true
                """));

    assertThat(schema.get("type").asText()).isEqualTo("object");
    assertThat(schema.get("properties").size()).isEqualTo(3);
    ObjectNode region = (ObjectNode) schema.get("properties").get("region");
    assertThat(region.get("type").asText()).isEqualTo("string");
    assertThat(region.get("description").asText()).isEqualTo("AWS region");
    assertThat(region.get("default").asText()).isEqualTo("us-east-1");
    ObjectNode count = (ObjectNode) schema.get("properties").get("count");
    assertThat(count.get("type").asText()).isEqualTo("integer");
    assertThat(count.has("description")).isFalse();
    assertThat(count.has("default")).isFalse();
    assertThat(schema.get("properties").get("verbose").get("default").booleanValue()).isTrue();
  }

  @Test
  void schemaHasNoRequiredNorAdditionalProperties() {
    ObjectNode schema = ParamsSchema.fromParameters(parameters("[[parameters]]\nname = \"a\"\n"));

    assertThat(schema.fieldNames()).toIterable().containsExactly("type", "properties");
  }

  // TF-21
  @Test
  void noParametersMeansNoSchema() {
    assertThat(ParamsSchema.fromParameters(List.of())).isNull();
    assertThat(ParamsSchema.fromParameters(null)).isNull();
  }

  // TF-22
  @Test
  void parameterWithoutTypeIsAStringProperty() {
    ObjectNode schema = ParamsSchema.fromParameters(parameters("[[parameters]]\nname = \"foo\"\n"));

    assertThat(schema.get("properties").get("foo").get("type").asText()).isEqualTo("string");
  }

  @Test
  void emptyDescriptionIsOmitted() {
    ObjectNode schema =
        ParamsSchema.fromParameters(
            parameters("[[parameters]]\nname = \"a\"\ndescription = \"\"\n"));

    assertThat(schema.get("properties").get("a").has("description")).isFalse();
  }

  @Test
  void integerDefaultsAreJsonIntegersAndFloatsAreNumbers() throws Exception {
    ObjectNode schema =
        ParamsSchema.fromParameters(
            parameters(
                "[[parameters]]\nname = \"i\"\ntype = \"integer\"\ndefault = 100\n"
                    + "[[parameters]]\nname = \"f\"\ntype = \"number\"\ndefault = 1.5\n"));

    assertThat(new ObjectMapper().writeValueAsString(schema))
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{"
                + "\"i\":{\"type\":\"integer\",\"default\":100},"
                + "\"f\":{\"type\":\"number\",\"default\":1.5}}}");
  }

  @Test
  void schemaAcceptsItsOwnDefaults() {
    List<Towerfile.Parameter> params =
        parameters(
            "[[parameters]]\nname = \"n\"\ntype = \"number\"\ndefault = 2\n"
                + "[[parameters]]\nname = \"s\"\ndefault = \"x\"\n");
    ObjectNode input = new ObjectMapper().createObjectNode();
    params.forEach(p -> input.set(p.name(), p.defaultValue()));

    assertThat(InputValidator.validate(ParamsSchema.fromParameters(params), input)).isEmpty();
  }
}
