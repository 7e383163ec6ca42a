package dev.minitower.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks a run's input against a version's {@code params_schema}: the JSON-Schema subset of {@code
 * docs/spec/runs.md} §5, with its exact messages.
 *
 * <p>Keywords: {@code type}, {@code properties}, {@code required}, {@code additionalProperties},
 * {@code items}, {@code enum}, {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength}
 * (code points), {@code minItems}/{@code maxItems}; anything else is ignored. Per value: enum, then
 * type, then the object/array/string/number checks; the first failure wins. Unlike the original (Go
 * map order), properties are visited in sorted order — {@code required} names first, then the
 * input's keys — so the reported error is deterministic. Schemas nested deeper than {@value
 * #MAX_DEPTH} levels are not followed further.
 */
public final class InputValidator {

  /** Deepest schema nesting that is evaluated. */
  public static final int MAX_DEPTH = 64;

  private InputValidator() {}

  /**
   * Validates {@code input} ({@code null}, JSON null or missing = no input, treated as {@code {}}
   * when the schema wants an object).
   *
   * @return the first error, e.g. {@code $.count has invalid type} (the API prefixes it with {@code
   *     input does not match schema: }), or empty when the input is valid
   */
  public static Optional<String> validate(JsonNode schema, JsonNode input) {
    if (schema == null || !schema.isObject()) {
      return Optional.empty();
    }
    JsonNode value = input;
    if (value == null || value.isNull() || value.isMissingNode()) {
      value = wantsObject(schema) ? JsonNodeFactory.instance.objectNode() : NullNode.getInstance();
    }
    return Optional.ofNullable(check(schema, value, "$", 0));
  }

  private static boolean wantsObject(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return false;
    }
    if (type.isTextual()) {
      return type.textValue().equals("object");
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.isTextual() && t.textValue().equals("object")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String check(JsonNode schema, JsonNode value, String path, int depth) {
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
      return null;
    }
    JsonNode enumValues = schema.get("enum");
    if (enumValues != null && enumValues.isArray()) {
      boolean found = false;
      for (JsonNode candidate : enumValues) {
        if (deepEquals(candidate, value, 0)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return path + " is not in enum";
      }
    }
    JsonNode type = schema.get("type");
    if (value.isNull() && wantsObject(schema) && !typeMatches(type, value)) {
      return path + " must be an object";
    }
    if (type != null && !typeMatches(type, value)) {
      return path + " has invalid type";
    }
    if (value.isObject()) {
      return checkObject(schema, value, path, depth);
    }
    if (value.isArray()) {
      return checkArray(schema, value, path, depth);
    }
    if (value.isTextual()) {
      long length = value.textValue().codePointCount(0, value.textValue().length());
      if (below(schema.get("minLength"), length)) {
        return path + " is too short";
      }
      if (above(schema.get("maxLength"), length)) {
        return path + " is too long";
      }
      return null;
    }
    if (value.isNumber()) {
      JsonNode minimum = schema.get("minimum");
      if (minimum != null && minimum.isNumber() && compare(value, minimum) < 0) {
        return path + " is below minimum";
      }
      JsonNode maximum = schema.get("maximum");
      if (maximum != null && maximum.isNumber() && compare(value, maximum) > 0) {
        return path + " is above maximum";
      }
    }
    return null;
  }

  private static String checkObject(JsonNode schema, JsonNode value, String path, int depth) {
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      TreeSet<String> names = new TreeSet<>();
      required.forEach(
          n -> {
            if (n.isTextual()) {
              names.add(n.textValue());
            }
          });
      for (String name : names) {
        if (!value.has(name)) {
          return path + "." + name + " is required";
        }
      }
    }
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    TreeSet<String> keys = new TreeSet<>();
    value.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      String childPath = path + "." + key;
      JsonNode propertySchema =
          properties != null && properties.isObject() ? properties.get(key) : null;
      String error;
      if (propertySchema != null) {
        error = check(propertySchema, value.get(key), childPath, depth + 1);
      } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
        error = childPath + " is not allowed";
      } else if (additional != null && additional.isObject()) {
        error = check(additional, value.get(key), childPath, depth + 1);
      } else {
        error = null;
      }
      if (error != null) {
        return error;
      }
    }
    return null;
  }

  private static String checkArray(JsonNode schema, JsonNode value, String path, int depth) {
    if (below(schema.get("minItems"), value.size())) {
      return path + " has too few items";
    }
    if (above(schema.get("maxItems"), value.size())) {
      return path + " has too many items";
    }
    JsonNode items = schema.get("items");
    if (items != null && items.isObject()) {
      for (int i = 0; i < value.size(); i++) {
        String error = check(items, value.get(i), path + "[" + i + "]", depth + 1);
        if (error != null) {
          return error;
        }
      }
    }
    return null;
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isTextual()) {
      return isType(type.textValue(), value);
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.isTextual() && isType(t.textValue(), value)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static boolean isType(String type, JsonNode value) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "number" -> value.isNumber();
      case "integer" -> value.isNumber() && isWhole(value);
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> false;
    };
  }

  private static boolean isWhole(JsonNode number) {
    if (number.isIntegralNumber()) {
      return true;
    }
    if (number.isBigDecimal()) {
      BigDecimal d = number.decimalValue();
      return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }
    double d = number.doubleValue();
    return Double.isFinite(d) && d == Math.rint(d);
  }

  private static boolean below(JsonNode bound, long actual) {
    return bound != null && bound.isNumber() && actual < bound.doubleValue();
  }

  private static boolean above(JsonNode bound, long actual) {
    return bound != null && bound.isNumber() && actual > bound.doubleValue();
  }

  private static int compare(JsonNode a, JsonNode b) {
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  /** JSON equality with numbers compared as doubles, as the original does. */
  private static boolean deepEquals(JsonNode a, JsonNode b, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.doubleValue() == b.doubleValue();
    }
    if (a.getNodeType() != b.getNodeType()) {
      return false;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!deepEquals(a.get(i), b.get(i), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      List<String> names = new ArrayList<>();
      a.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode other = b.get(name);
        if (other == null || !deepEquals(a.get(name), other, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
