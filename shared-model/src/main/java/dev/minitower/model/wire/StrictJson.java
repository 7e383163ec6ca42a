package dev.minitower.model.wire;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How every service reads a request body (the original's gap 31, docs/security.md "Input
 * validation"): unknown fields (mass assignment), duplicate keys, trailing bytes or a second value,
 * wrong JSON types, fractions for integers, numbers longer than 100 digits, nesting deeper than
 * {@value #MAX_DEPTH} and invalid UTF-8 are errors. Field names match exactly: the original's Go
 * decoder matched them case-insensitively, which let {@code {"priority":1,"PRIORITY":2}} pass as a
 * silent duplicate; its clients always send the exact names.
 *
 * <p>{@link #read} also refuses, anywhere in the document (keys included), strings that cannot be
 * stored: a NUL character or a lone surrogate ({@link WireText}), naming the field.
 */
public final class StrictJson {
  public static final int MAX_DEPTH = 64;
  public static final int MAX_NUMBER_DIGITS = 100;

  private StrictJson() {}

  /** Whether {@link #read} refuses strings that {@link WireText} says cannot be stored. */
  public enum Text {
    /** NUL or a lone surrogate in any string or key is an error naming the field. */
    CHECKED,
    /** Strings are data the caller cleans (log lines); only the JSON rules apply. */
    AS_DATA
  }

  /** A new mapper with the strict rules; share one per service (it is thread-safe). */
  public static ObjectMapper newMapper() {
    JsonMapper m =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_VALUES)
            .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    m.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(MAX_NUMBER_DIGITS)
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
    return m;
  }

  /**
   * Decodes {@code body} (UTF-8, or UTF-16/32 by its first bytes) with a mapper from {@link
   * #newMapper}. Null for the JSON literal {@code null}.
   */
  public static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type, Text text)
      throws IOException {
    JsonParser parser = mapper.createParser(body);
    try (JsonParser p = text == Text.CHECKED ? new CheckedStrings(parser) : parser) {
      return mapper.readValue(p, type);
    }
  }

  /** A short user-facing description of a decode problem (no Java class names, no stack). */
  public static String describe(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnstorableTextException u) {
        return u.getOriginalMessage();
      }
    }
    if (e instanceof UnrecognizedPropertyException upe) {
      return "unknown field '" + upe.getPropertyName() + "'";
    }
    if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
      StringBuilder field = new StringBuilder();
      for (JsonMappingException.Reference ref : mie.getPath()) {
        if (ref.getFieldName() != null) {
          field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          field.append('[').append(ref.getIndex()).append(']');
        }
      }
      if (field.length() > 0 && mie.getPath().get(0).getFieldName() != null) {
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

  /** A string of the document that cannot be stored; the message names its field. */
  public static final class UnstorableTextException extends JsonParseException {
    UnstorableTextException(JsonParser p, String message) {
      super(p, message);
    }
  }

  /**
   * Checks every key and string value as it is read. Only {@code nextToken} and {@code nextValue}
   * are overridden: every other {@code next…} method of {@link JsonParser} is built on them.
   */
  private static final class CheckedStrings extends JsonParserDelegate {
    CheckedStrings(JsonParser p) {
      super(p);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken t = delegate.nextToken();
      if (t == JsonToken.FIELD_NAME) {
        String problem = WireText.violation(delegate.currentName());
        if (problem != null) {
          throw new UnstorableTextException(
              this, "field name '" + path(delegate.getParsingContext()) + "' " + problem);
        }
      } else if (t == JsonToken.VALUE_STRING) {
        String problem = WireText.violation(delegate.getText());
        if (problem != null) {
          throw new UnstorableTextException(
              this, "field '" + path(delegate.getParsingContext()) + "' " + problem);
        }
      }
      return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken t = nextToken();
      return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    /** {@code name}, {@code input.key}, {@code logs[0].line}: where the parser stands. */
    private static String path(JsonStreamContext context) {
      Deque<String> parts = new ArrayDeque<>();
      for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
        } else if (c.getCurrentName() != null) {
          parts.push(WireText.shown(c.getCurrentName()));
        }
      }
      StringBuilder sb = new StringBuilder();
      for (String part : parts) {
        if (sb.length() > 0 && !part.startsWith("[")) {
          sb.append('.');
        }
        sb.append(part);
      }
      return sb.length() == 0 ? "(top level)" : sb.toString();
    }
  }
}
