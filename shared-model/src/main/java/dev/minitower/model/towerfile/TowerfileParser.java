package dev.minitower.model.towerfile;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a Towerfile ({@code docs/spec/towerfile-and-runner.md} §1).
 *
 * <p>Decoding problems (bad TOML, a known key with the wrong TOML type) are reported as {@code
 * parsing towerfile: …}; rule violations use the exact texts of §1.3, first failure wins, in the
 * documented order. Unknown keys are ignored. The input is capped at {@value #MAX_BYTES} bytes and
 * at {@value #MAX_NESTING} levels of nesting so that hostile files fail fast with a parse error.
 */
public final class TowerfileParser {

  /** Largest accepted Towerfile, in UTF-8 bytes (same cap as inside an artifact). */
  public static final int MAX_BYTES = 262_144;

  /** Deepest accepted nesting of tables and arrays. */
  public static final int MAX_NESTING = 64;

  private static final Set<String> PARAMETER_TYPES =
      Set.of("string", "number", "integer", "boolean");

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private static final TomlMapper MAPPER =
      TomlMapper.builder(
              TomlFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING)
                          .maxStringLength(MAX_BYTES)
                          .maxNumberLength(1000)
                          .build())
                  .streamWriteConstraints(
                      StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .build())
          .enable(TomlReadFeature.PARSE_JAVA_TIME)
          .build();

  private TowerfileParser() {}

  /**
   * Parses and validates Towerfile text.
   *
   * @throws TowerfileException with code {@code TOWERFILE_INVALID} when the text cannot be decoded
   *     or breaks a rule
   */
  public static Towerfile parse(String toml) {
    if (toml == null) {
      throw TowerfileException.parse("no Towerfile content");
    }
    if (utf8Length(toml) > MAX_BYTES) {
      throw TowerfileException.parse("Towerfile exceeds maximum size of " + MAX_BYTES + " bytes");
    }
    JsonNode root = decode(toml);
    Decoded decoded = Decoded.from(root);
    return validate(decoded, toml);
  }

  private static JsonNode decode(String toml) {
    JsonNode root;
    try {
      root = MAPPER.readTree(toml);
    } catch (JacksonException e) {
      throw TowerfileException.parse(describe(e));
    } catch (RuntimeException | StackOverflowError e) {
      // Jackson reports some limits as unchecked wrappers; a hostile file must never escape as a
      // 500, and the size and nesting caps keep a stack overflow from happening in practice.
      if (e.getCause() instanceof JacksonException cause) {
        throw TowerfileException.parse(describe(cause));
      }
      String text = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e);
      throw TowerfileException.parse(text);
    }
    if (root == null) {
      return MAPPER.createObjectNode();
    }
    checkDepth(root);
    return root;
  }

  /**
   * Dotted keys and table headers ({@code [a.b.c…]}) build nesting the streaming limits do not see;
   * measure it without recursion so later consumers of the tree never meet a pathological one.
   */
  private static void checkDepth(JsonNode root) {
    Deque<Map.Entry<JsonNode, Integer>> todo = new ArrayDeque<>();
    todo.push(Map.entry(root, 1));
    while (!todo.isEmpty()) {
      Map.Entry<JsonNode, Integer> next = todo.pop();
      if (next.getValue() > MAX_NESTING) {
        throw TowerfileException.parse(TOO_DEEP);
      }
      for (JsonNode child : next.getKey()) {
        if (child.isContainerNode()) {
          todo.push(Map.entry(child, next.getValue() + 1));
        }
      }
    }
  }

  private static final String TOO_DEEP =
      "document nesting exceeds the maximum of " + MAX_NESTING + " levels";

  private static String describe(JacksonException e) {
    if (e instanceof StreamConstraintsException
        && String.valueOf(e.getMessage()).contains("nesting")) {
      return TOO_DEEP;
    }
    String text = e.getOriginalMessage() == null ? "invalid TOML" : e.getOriginalMessage().strip();
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + text;
    }
    return text;
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage().strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static int utf8Length(String s) {
    if (s.length() > MAX_BYTES) {
      return s.length();
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Towerfile validate(Decoded d, String raw) {
    if (d.name == null || d.name.isEmpty()) {
      throw TowerfileException.rule("app.name is required");
    }
    SlugRules.violation(d.name)
        .ifPresent(
            message -> {
              throw TowerfileException.rule("app.name: " + message);
            });
    if (d.script == null || d.script.isEmpty()) {
      throw TowerfileException.rule("app.script is required");
    }
    String ext = extension(d.script).toLowerCase(Locale.ROOT);
    if (!ext.equals(".py") && !ext.equals(".sh")) {
      throw TowerfileException.rule(
          "app.script must end in .py or .sh, got " + GoQuoting.quote(ext));
    }
    if (ProjectPaths.escapesRoot(d.script)) {
      throw TowerfileException.rule("app.script must not contain path traversal");
    }
    for (String pattern : d.source) {
      if (ProjectPaths.escapesRoot(pattern)) {
        throw TowerfileException.rule(
            "source pattern " + GoQuoting.quote(pattern) + " must not escape the project root");
      }
    }
    for (String importPath : d.importPaths) {
      if (ProjectPaths.escapesRoot(importPath)) {
        throw TowerfileException.rule(
            "import_paths entry "
                + GoQuoting.quote(importPath)
                + " must not escape the project root");
      }
    }
    Integer timeout = null;
    if (d.timeoutPresent) {
      if (d.timeoutSeconds < 1) {
        throw TowerfileException.rule("app.timeout.seconds must be >= 1, got " + d.timeoutSeconds);
      }
      // The original has no upper bound; ours stores the value in an integer column.
      if (d.timeoutSeconds > Integer.MAX_VALUE) {
        throw TowerfileException.rule(
            "app.timeout.seconds must be <= " + Integer.MAX_VALUE + ", got " + d.timeoutSeconds);
      }
      timeout = (int) d.timeoutSeconds;
    }
    List<Towerfile.Parameter> parameters = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.parameters.size(); i++) {
      RawParameter p = d.parameters.get(i);
      if (p.name == null || p.name.isEmpty()) {
        throw TowerfileException.rule("parameters[" + i + "].name is required");
      }
      if (!seen.add(p.name)) {
        throw TowerfileException.rule("duplicate parameter name " + GoQuoting.quote(p.name));
      }
      String type = p.type == null || p.type.isEmpty() ? "string" : p.type;
      if (!PARAMETER_TYPES.contains(type)) {
        throw TowerfileException.rule(
            "parameters["
                + i
                + "].type must be one of string, number, integer, boolean; got "
                + GoQuoting.quote(p.type));
      }
      JsonNode defaultValue = null;
      if (p.defaultValue != null) {
        defaultValue = checkDefault(i, type, p.defaultValue);
      }
      parameters.add(new Towerfile.Parameter(p.name, type, p.description, defaultValue));
    }
    return new Towerfile(d.name, d.script, d.source, d.importPaths, timeout, parameters, raw);
  }

  private static JsonNode checkDefault(int index, String type, JsonNode value) {
    boolean fits =
        switch (type) {
          case "string" -> value.isTextual();
          case "boolean" -> value.isBoolean();
          case "integer" -> value.isIntegralNumber();
          default -> value.isNumber();
        };
    if (!fits) {
      throw TowerfileException.rule(
          "parameters[" + index + "].default must be a " + type + ", got " + goTypeName(value));
    }
    if (value.isFloatingPointNumber()) {
      double d = value.doubleValue();
      // Go would accept inf/nan here and then fail to encode the schema as JSON.
      if (!Double.isFinite(d)) {
        throw TowerfileException.rule(
            "parameters[" + index + "].default must be a finite number, got " + value.asText());
      }
      return DoubleNode.valueOf(d);
    }
    if (value.isIntegralNumber()) {
      return LongNode.valueOf(value.longValue());
    }
    return value;
  }

  /** The Go type name the original reports for a decoded TOML value. */
  static String goTypeName(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    if (value.isIntegralNumber()) {
      return "int64";
    }
    if (value.isNumber()) {
      return "float64";
    }
    if (value.isArray()) {
      return "[]interface {}";
    }
    if (value.isObject()) {
      return "map[string]interface {}";
    }
    return "time.Time";
  }

  /** Go's {@code filepath.Ext}: the suffix from the last dot of the last path element. */
  static String extension(String path) {
    for (int i = path.length() - 1; i >= 0 && path.charAt(i) != '/'; i--) {
      if (path.charAt(i) == '.') {
        return path.substring(i);
      }
    }
    return "";
  }

  private record RawParameter(
      String name, String type, String description, JsonNode defaultValue) {}

  /** The Towerfile's known keys, type-checked like a Go struct decode. */
  private static final class Decoded {
    String name;
    String script;
    List<String> source = List.of();
    List<String> importPaths = List.of();
    boolean timeoutPresent;
    long timeoutSeconds;
    List<RawParameter> parameters = List.of();

    static Decoded from(JsonNode root) {
      Decoded d = new Decoded();
      JsonNode app = root.get("app");
      if (app != null) {
        ObjectNode appTable = table(app, "app");
        d.name = string(appTable.get("name"), "app.name");
        d.script = string(appTable.get("script"), "app.script");
        d.source = strings(appTable.get("source"), "app.source");
        d.importPaths = strings(appTable.get("import_paths"), "app.import_paths");
        JsonNode timeout = appTable.get("timeout");
        if (timeout != null) {
          ObjectNode timeoutTable = table(timeout, "app.timeout");
          d.timeoutPresent = true;
          JsonNode seconds = timeoutTable.get("seconds");
          d.timeoutSeconds = seconds == null ? 0 : integer(seconds, "app.timeout.seconds");
        }
      }
      JsonNode params = root.get("parameters");
      if (params != null) {
        if (!params.isArray()) {
          throw mismatch("parameters", "array of tables", params);
        }
        List<RawParameter> list = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
          String key = "parameters[" + i + "]";
          ObjectNode p = table(params.get(i), key);
          list.add(
              new RawParameter(
                  string(p.get("name"), key + ".name"),
                  string(p.get("type"), key + ".type"),
                  string(p.get("description"), key + ".description"),
                  scalar(p.get("default"), key + ".default")));
        }
        d.parameters = list;
      }
      return d;
    }

    private static ObjectNode table(JsonNode node, String key) {
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw mismatch(key, "table", node);
    }

    private static String string(JsonNode node, String key) {
      if (node == null) {
        return null;
      }
      if (!node.isTextual()) {
        throw mismatch(key, "string", node);
      }
      return node.textValue();
    }

    private static List<String> strings(JsonNode node, String key) {
      if (node == null) {
        return List.of();
      }
      if (!node.isArray()) {
        throw mismatch(key, "array of strings", node);
      }
      List<String> out = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        out.add(string(node.get(i), key + "[" + i + "]"));
      }
      return out;
    }

    private static JsonNode scalar(JsonNode node, String key) {
      if (node != null && node.isBigInteger()) {
        integer(node, key);
      }
      return node;
    }

    private static long integer(JsonNode node, String key) {
      if (!node.isIntegralNumber()) {
        throw mismatch(key, "integer", node);
      }
      BigInteger value = node.bigIntegerValue();
      if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
        throw TowerfileException.parse(key + ": integer " + value + " is out of range");
      }
      return value.longValue();
    }

    private static TowerfileException mismatch(String key, String expected, JsonNode actual) {
      return TowerfileException.parse(
          "incompatible types: key "
              + GoQuoting.quote(key)
              + " has TOML type "
              + tomlTypeName(actual)
              + ", expected "
              + expected);
    }

    private static String tomlTypeName(JsonNode node) {
      if (node.getNodeType() == JsonNodeType.POJO) {
        return "datetime";
      }
      if (node.isTextual()) {
        return "string";
      }
      if (node.isBoolean()) {
        return "boolean";
      }
      if (node.isIntegralNumber()) {
        return "integer";
      }
      if (node.isNumber()) {
        return "float";
      }
      if (node.isArray()) {
        return "array";
      }
      return "table";
    }
  }
}
