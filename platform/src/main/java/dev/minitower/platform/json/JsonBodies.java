package dev.minitower.platform.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.model.wire.StrictJson;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * How every service reads a request body: shared-model's {@link StrictJson} rules (unknown fields,
 * duplicate keys, trailing bytes, wrong types, fractions for integers, exact field names, depth,
 * invalid UTF-8, NUL characters and lone surrogates in any string), each a 400 {@code
 * invalid_request} whose message starts with the original's text for the endpoint (e.g. {@code
 * invalid JSON body}) followed by {@code : <detail>}.
 */
@ApplicationScoped
public class JsonBodies {
  private final ObjectMapper mapper = StrictJson.newMapper();

  /** True when the body is absent, only whitespace, or the JSON literal {@code null}. */
  public static boolean isBlank(byte[] body) {
    if (body == null) {
      return true;
    }
    String s = new String(body, StandardCharsets.ISO_8859_1).strip();
    return s.isEmpty() || s.equals("null");
  }

  /**
   * Decodes {@code body} into {@code type}, or throws 400 {@code invalid_request} with {@code
   * prefix + ": " + detail}. A NUL or a lone surrogate in any string is refused, naming the field.
   */
  public <T> T read(byte[] body, Class<T> type, String prefix) {
    return read(body, type, prefix, StrictJson.Text.CHECKED);
  }

  /**
   * As {@link #read(byte[], Class, String)}; with {@link StrictJson.Text#AS_DATA} strings are not
   * checked, for bodies whose text the caller cleans (log lines).
   */
  public <T> T read(byte[] body, Class<T> type, String prefix, StrictJson.Text text) {
    try {
      T value = StrictJson.read(mapper, body, type, text);
      if (value == null) {
        throw ApiException.badRequest(prefix);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(prefix + ": " + StrictJson.describe(e));
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
      Iterator<JsonNode> children = node.elements();
      while (children.hasNext()) {
        requireFinite(children.next(), prefix);
      }
    }
  }
}
