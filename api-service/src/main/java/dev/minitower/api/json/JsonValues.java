package dev.minitower.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Generic JSON values (run inputs, parameter schemas) as the original emits them. */
public final class JsonValues {
  private JsonValues() {}

  /**
   * A copy with every object's keys in alphabetical order: the original re-emits inputs and schemas
   * from Go maps, whose encoder sorts keys (PostgreSQL's jsonb order differs).
   */
  public static JsonNode sortedKeys(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String n : names) {
        out.set(n, sortedKeys(node.get(n)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(sortedKeys(child)));
      return out;
    }
    return node;
  }

  /** True for null, JSON null, or an empty object: the Run view then omits {@code input}. */
  public static boolean isEmptyInput(JsonNode node) {
    return node == null || node.isNull() || (node.isObject() && node.isEmpty());
  }
}
