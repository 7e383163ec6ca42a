package dev.minitower.cli.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Turns repeated {@code -p name=value} into run input, typing each value by the version's {@code
 * params_schema} (docs/spec/towerfile-and-runner.md §1.4: {@code properties.<name>.type} is string,
 * number, integer or boolean), so {@code -p batch_size=100} sends the JSON number the server's
 * schema check expects.
 */
public final class ParamConverter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ParamConverter() {}

  /** One parsed {@code name=value}. */
  public record Assignment(String name, String value) {
    public static Assignment parse(String raw) {
      int eq = raw.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("invalid -p \"" + raw + "\": expected name=value");
      }
      return new Assignment(raw.substring(0, eq), raw.substring(eq + 1));
    }
  }

  /**
   * Adds the assignments to {@code input} (later ones win, and they win over {@code --input}).
   *
   * @param paramsSchema the version's {@code params_schema}, or null/missing when it has none: then
   *     every value is a string
   * @param versionLabel how to name the version in messages, e.g. {@code version 3}
   */
  public static ObjectNode apply(
      ObjectNode input, List<String> assignments, JsonNode paramsSchema, String versionLabel) {
    ObjectNode out = input == null ? NODES.objectNode() : input.deepCopy();
    JsonNode props =
        paramsSchema == null
            ? null
            : paramsSchema.path("properties").isObject() ? paramsSchema.get("properties") : null;
    for (String raw : assignments) {
      Assignment a = Assignment.parse(raw);
      if (props == null || props.isEmpty()) {
        out.put(a.name(), a.value());
        continue;
      }
      JsonNode prop = props.get(a.name());
      if (prop == null) {
        throw CliException.usage(
            "parameter \""
                + a.name()
                + "\" is not declared by "
                + versionLabel
                + " (declared: "
                + String.join(", ", names(props))
                + "); use --input to send undeclared keys");
      }
      String type = prop.path("type").asText("string");
      out.set(a.name(), convert(a.name(), a.value(), type));
    }
    return out;
  }

  /** Converts one value to the JSON type {@code type}; unknown types stay strings. */
  public static JsonNode convert(String name, String value, String type) {
    String t = type == null || type.isEmpty() ? "string" : type.toLowerCase(Locale.ROOT);
    switch (t) {
      case "integer":
        try {
          BigInteger i = new BigInteger(value.trim());
          return i.bitLength() < 64 ? NODES.numberNode(i.longValue()) : NODES.numberNode(i);
        } catch (NumberFormatException e) {
          throw typeError(name, value, "an integer");
        }
      case "number":
        try {
          BigDecimal d = new BigDecimal(value.trim());
          if (d.scale() <= 0 && !value.contains("e") && !value.contains("E")) {
            BigInteger i = d.toBigIntegerExact();
            return i.bitLength() < 64 ? NODES.numberNode(i.longValue()) : NODES.numberNode(i);
          }
          return NODES.numberNode(d);
        } catch (NumberFormatException | ArithmeticException e) {
          throw typeError(name, value, "a number");
        }
      case "boolean":
        String b = value.trim().toLowerCase(Locale.ROOT);
        if (b.equals("true")) {
          return NODES.booleanNode(true);
        }
        if (b.equals("false")) {
          return NODES.booleanNode(false);
        }
        throw typeError(name, value, "a boolean (true or false)");
      default:
        return NODES.textNode(value);
    }
  }

  private static CliException typeError(String name, String value, String what) {
    return CliException.usage("parameter \"" + name + "\": \"" + value + "\" is not " + what);
  }

  private static List<String> names(JsonNode props) {
    List<String> n = new ArrayList<>();
    for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
      n.add(it.next());
    }
    return n;
  }
}
