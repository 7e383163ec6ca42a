package dev.minitower.api.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads request bodies strictly (the original's gap 31): unknown fields (mass assignment),
 * duplicate keys, trailing bytes, wrong JSON types, fractional numbers for integers, non-finite
 * numbers and nesting deeper than {@value #MAX_DEPTH} are all a 400 whose message starts with the
 * original's text for that endpoint (e.g. {@code invalid JSON body}). Field names still match
 * case-insensitively, as in Go.
 */
@ApplicationScoped
public class JsonBodies {
  static final int MAX_DEPTH = 64;

  private final ObjectMapper mapper;

  public JsonBodies() {
    JsonMapper m =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    m.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(100)
                .maxStringLength(20_000_000)
                .build());
    for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean}) {
      m.coercionConfigFor(t)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    this.mapper = m;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** True when the body is absent, only whitespace, or the JSON literal {@code null}. */
  public static boolean isBlank(byte[] body) {
    if (body == null) {
      return true;
    }
    String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).strip();
    return s.isEmpty() || s.equals("null");
  }

  /**
   * Decodes {@code body} into {@code type}, or throws 400 {@code invalid_request} with {@code
   * prefix + ": " + detail}.
   */
  public <T> T read(byte[] body, Class<T> type, String prefix) {
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw ApiException.badRequest(prefix);
      }
      return value;
    } catch (ApiException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(prefix + ": " + describe(e));
    } catch (IOException e) {
      throw ApiException.badRequest(prefix);
    }
  }

  /** Rejects non-finite numbers anywhere in a generic JSON value (they cannot be stored). */
  public static void requireFinite(JsonNode node, String prefix) {
    if (node == null) {
      return;
    }
    if (node.isNumber() && node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      throw ApiException.badRequest(prefix + ": number out of range");
    }
    if (node.isContainerNode()) {
      if (node.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getKey().indexOf('\u0000') >= 0) {
            throw ApiException.badRequest(prefix + ": NUL characters are not allowed");
          }
          requireFinite(e.getValue(), prefix);
        }
      } else {
        for (JsonNode child : node) {
          requireFinite(child, prefix);
        }
      }
    } else if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(prefix + ": NUL characters are not allowed");
    }
  }

  /** A short user-facing description of a decode problem (no Java class names, no stack). */
  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException upe) {
      return "unknown field '" + upe.getPropertyName() + "'";
    }
    if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
      String field = mie.getPath().get(0).getFieldName();
      if (field != null) {
        return "field '" + field + "' has the wrong type";
      }
    }
    String original = e.getOriginalMessage();
    if (original == null) {
      return "malformed JSON";
    }
    if (original.startsWith("Document nesting depth")) {
      return "nesting too deep (max " + MAX_DEPTH + ")";
    }
    if (original.startsWith("Invalid UTF-8")) {
      return "body is not valid UTF-8";
    }
    if (original.startsWith("Duplicate field")) {
      return original.replace("Duplicate field", "duplicate field");
    }
    int cut = original.indexOf('\n');
    String first = cut > 0 ? original.substring(0, cut) : original;
    return first.length() > 200 ? first.substring(0, 200) : first;
  }
}
