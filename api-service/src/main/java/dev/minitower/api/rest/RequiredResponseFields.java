package dev.minitower.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.minitower.model.api.ScheduleView;
import dev.minitower.model.api.SecretViews;
import dev.minitower.model.api.StatsViews;
import dev.minitower.model.api.Views;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Marks in the OpenAPI document, for every response body, the fields the server always writes as
 * {@code required}: the record components Jackson writes whatever their value (primitives, and
 * components whose inclusion is {@code ALWAYS}, the default). A component omitted when null
 * ({@code @JsonInclude(NON_NULL)}) or empty stays optional unless the record says it is never null
 * ({@code @Schema(required = true)}); a written component that can be null says so
 * ({@code @Schema(nullable = true)}). So the web UI's generated types say what the JSON holds:
 * {@code name: string}, {@code name?: string} or {@code name: string | null}.
 *
 * <p>Request bodies keep no {@code required} list: every field is checked by the service, which
 * answers the spec's 400 messages.
 */
public class RequiredResponseFields implements OASFilter {
  private static final String REF = "#/components/schemas/";

  /** The classes whose nested records (and themselves, when records) are response bodies. */
  private static final List<Class<?>> RESPONSE_HOLDERS =
      List.of(Views.class, StatsViews.class, SecretViews.class, ScheduleView.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    Map<String, Schema> schemas = openApi.getComponents().getSchemas();
    Map<String, Class<?>> records = responseRecords();
    for (String name : responseSchemas(openApi, schemas)) {
      Schema schema = schemas.get(name);
      if (schema.getProperties() == null) {
        continue; // a free-form object (JsonNode)
      }
      Class<?> type = records.get(name);
      if (type == null) {
        throw new IllegalStateException(
            "response schema " + name + " is not a record of dev.minitower.model.api");
      }
      Set<String> required = alwaysWritten(type);
      if (schema.getRequired() != null) {
        required.addAll(schema.getRequired());
      }
      List<String> inOrder =
          schema.getProperties().keySet().stream().filter(required::contains).toList();
      schema.setRequired(inOrder.isEmpty() ? null : inOrder);
    }
  }

  /** The named schemas a response body refers to, directly or through fields and items. */
  private static Set<String> responseSchemas(OpenAPI openApi, Map<String, Schema> schemas) {
    Deque<Schema> todo = new ArrayDeque<>();
    openApi.getPaths().getPathItems().values().stream()
        .flatMap(item -> item.getOperations().values().stream())
        .filter(op -> op.getResponses() != null && op.getResponses().getAPIResponses() != null)
        .flatMap(op -> op.getResponses().getAPIResponses().values().stream())
        .filter(response -> response.getContent() != null)
        .flatMap(response -> response.getContent().getMediaTypes().values().stream())
        .filter(media -> media.getSchema() != null)
        .forEach(media -> todo.add(media.getSchema()));
    Set<String> names = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      Schema schema = todo.pop();
      if (schema.getRef() != null) {
        String name = schema.getRef().substring(REF.length());
        if (names.add(name) && schemas.containsKey(name)) {
          todo.add(schemas.get(name));
        }
        continue;
      }
      if (schema.getProperties() != null) {
        todo.addAll(schema.getProperties().values());
      }
      Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
          .filter(list -> list != null)
          .forEach(todo::addAll);
      if (schema.getItems() != null) {
        todo.add(schema.getItems());
      }
    }
    return names;
  }

  private static Map<String, Class<?>> responseRecords() {
    Map<String, Class<?>> records = new HashMap<>();
    for (Class<?> holder : RESPONSE_HOLDERS) {
      if (holder.isRecord()) {
        records.put(holder.getSimpleName(), holder);
      }
      for (Class<?> nested : holder.getDeclaredClasses()) {
        if (nested.isRecord()) {
          records.put(nested.getSimpleName(), nested);
        }
      }
    }
    return records;
  }

  /** The JSON names of the properties Jackson writes for every value of {@code type}. */
  static Set<String> alwaysWritten(Class<?> type) {
    SerializationConfig config = JSON.getSerializationConfig();
    BeanDescription bean = config.introspect(config.constructType(type));
    JsonInclude.Value byClass = bean.findPropertyInclusion(config.getDefaultPropertyInclusion());
    Set<String> names = new LinkedHashSet<>();
    for (BeanPropertyDefinition property : bean.findProperties()) {
      AnnotatedMember accessor = property.getAccessor();
      if (accessor == null) {
        continue;
      }
      if (accessor.hasAnnotation(JsonUnwrapped.class)) {
        names.addAll(alwaysWritten(accessor.getRawType()));
        continue;
      }
      JsonInclude.Include inclusion =
          byClass.withOverrides(property.findInclusion()).getValueInclusion();
      boolean always =
          switch (inclusion) {
            case ALWAYS, USE_DEFAULTS -> true;
            // a primitive is never null, absent or empty
            case NON_NULL, NON_ABSENT, NON_EMPTY -> accessor.getRawType().isPrimitive();
            default -> false;
          };
      if (always) {
        names.add(property.getName());
      }
    }
    return names;
  }
}
