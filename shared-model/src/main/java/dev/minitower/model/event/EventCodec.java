package dev.minitower.model.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.UncheckedIOException;

/** Encodes and decodes the event envelope and its data; one mapper configuration for all sides. */
public final class EventCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private EventCodec() {}

  public static String encode(CloudEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Encodes an event straight from its data object, byte for byte as {@link #encode(CloudEvent)} of
   * the same event with {@code toTree(data)} (EventGoldenTest), without building the tree first:
   * this is what the outbox writes for every transition.
   */
  public static String encode(
      String id,
      String source,
      String type,
      String subject,
      String time,
      Long sequence,
      Object data) {
    // A POJONode writes its object with this mapper's serializers when the envelope is written.
    return encode(
        new CloudEvent(
            CloudEvent.SPEC_VERSION,
            id,
            source,
            type,
            subject,
            time,
            CloudEvent.JSON,
            sequence,
            new POJONode(data)));
  }

  public static CloudEvent decode(String json) {
    try {
      return MAPPER.readValue(json, CloudEvent.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a CloudEvent: " + e.getOriginalMessage(), e);
    }
  }

  public static JsonNode toTree(Object data) {
    return MAPPER.valueToTree(data);
  }

  public static <T> T data(CloudEvent event, Class<T> type) {
    try {
      return MAPPER.treeToValue(event.data(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad event data: " + e.getOriginalMessage(), e);
    }
  }
}
