package dev.minitower.model.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.model.towerfile.Towerfile;
import java.util.List;

/**
 * Builds a version's {@code params_schema} from the Towerfile's {@code [[parameters]]} ({@code
 * docs/spec/towerfile-and-runner.md} §1.4, {@code docs/spec/runs.md} §5).
 */
public final class ParamsSchema {

  private ParamsSchema() {}

  /**
   * {@code {"type":"object","properties":{"<name>":{"type":…,"description"?:…,"default"?:…}}}},
   * properties in declaration order, without {@code required} or {@code additionalProperties}.
   *
   * @return the schema, or {@code null} when there are no parameters (the version then has no
   *     {@code params_schema})
   */
  public static ObjectNode fromParameters(List<Towerfile.Parameter> parameters) {
    if (parameters == null || parameters.isEmpty()) {
      return null;
    }
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode schema = json.objectNode();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (Towerfile.Parameter parameter : parameters) {
      ObjectNode property = properties.putObject(parameter.name());
      String type = parameter.type();
      property.put("type", type == null || type.isEmpty() ? "string" : type);
      if (parameter.description() != null && !parameter.description().isEmpty()) {
        property.put("description", parameter.description());
      }
      if (parameter.defaultValue() != null) {
        property.set("default", parameter.defaultValue().deepCopy());
      }
    }
    return schema;
  }
}
