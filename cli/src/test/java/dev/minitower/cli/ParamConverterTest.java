package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.output.JsonOutput;
import dev.minitower.cli.params.ParamConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code -p name=value} typed by a version's params_schema (docs/spec/towerfile-and-runner.md
 * §1.4).
 */
class ParamConverterTest {
  static final JsonNode SCHEMA =
      JsonOutput.parse(
          """
          {"type":"object","properties":{
            "region":{"type":"string","default":"us-east-1"},
            "batch_size":{"type":"integer","default":100},
            "ratio":{"type":"number"},
            "dry_run":{"type":"boolean"},
            "note":{}
          }}""");

  static String convert(List<String> ps) {
    return JsonOutput.compact(ParamConverter.apply(null, ps, SCHEMA, "version 2"));
  }

  @Test
  void valuesAreTypedFromTheSchema() {
    assertThat(
            convert(
                List.of(
                    "region=eu-west-1",
                    "batch_size=250",
                    "ratio=0.5",
                    "dry_run=true",
                    "note=free text")))
        .isEqualTo(
            "{\"region\":\"eu-west-1\",\"batch_size\":250,\"ratio\":0.5,\"dry_run\":true,"
                + "\"note\":\"free text\"}");
  }

  @Test
  void integralNumberStaysAnInteger() {
    assertThat(convert(List.of("ratio=3"))).isEqualTo("{\"ratio\":3}");
  }

  @Test
  void valueMayContainEquals() {
    assertThat(convert(List.of("region=a=b"))).isEqualTo("{\"region\":\"a=b\"}");
  }

  @Test
  void stringParameterKeepsDigitsAsText() {
    assertThat(convert(List.of("region=42"))).isEqualTo("{\"region\":\"42\"}");
  }

  @Test
  void booleanIsCaseInsensitive() {
    assertThat(convert(List.of("dry_run=FALSE"))).isEqualTo("{\"dry_run\":false}");
  }

  @Test
  void laterAssignmentWinsAndOverridesInput() {
    ObjectNode input = (ObjectNode) JsonOutput.parse("{\"batch_size\":1,\"extra\":\"kept\"}");

    ObjectNode out =
        ParamConverter.apply(input, List.of("batch_size=2", "batch_size=3"), SCHEMA, "v");

    assertThat(JsonOutput.compact(out)).isEqualTo("{\"batch_size\":3,\"extra\":\"kept\"}");
  }

  @Test
  void badIntegerIsRejected() {
    assertThatThrownBy(() -> convert(List.of("batch_size=ten")))
        .isInstanceOf(CliException.class)
        .hasMessage("parameter \"batch_size\": \"ten\" is not an integer");
  }

  @Test
  void fractionForIntegerIsRejected() {
    assertThatThrownBy(() -> convert(List.of("batch_size=1.5")))
        .hasMessage("parameter \"batch_size\": \"1.5\" is not an integer");
  }

  @Test
  void badNumberIsRejected() {
    assertThatThrownBy(() -> convert(List.of("ratio=NaN")))
        .hasMessage("parameter \"ratio\": \"NaN\" is not a number");
  }

  @Test
  void badBooleanIsRejected() {
    assertThatThrownBy(() -> convert(List.of("dry_run=yes")))
        .hasMessage("parameter \"dry_run\": \"yes\" is not a boolean (true or false)");
  }

  @Test
  void undeclaredParameterIsRejectedWithTheDeclaredNames() {
    assertThatThrownBy(() -> convert(List.of("regoin=x")))
        .hasMessage(
            "parameter \"regoin\" is not declared by version 2 (declared: region, batch_size,"
                + " ratio, dry_run, note); use --input to send undeclared keys");
  }

  @Test
  void withoutSchemaEverythingIsAString() {
    ObjectNode out = ParamConverter.apply(null, List.of("n=5", "b=true"), null, "version 1");

    assertThat(JsonOutput.compact(out)).isEqualTo("{\"n\":\"5\",\"b\":\"true\"}");
  }

  @Test
  void missingEqualsIsAUsageError() {
    assertThatThrownBy(() -> convert(List.of("=x")))
        .hasMessage("invalid -p \"=x\": expected name=value");
  }
}
