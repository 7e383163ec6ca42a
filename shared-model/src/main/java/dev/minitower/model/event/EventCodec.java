package dev.minitower.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    try {
      return MAPPER.writeValueAsString(
          new Outgoing(
              CloudEvent.SPEC_VERSION,
              id,
              source,
              type,
              subject,
              time,
              CloudEvent.JSON,
              sequence,
              data));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The envelope of {@link CloudEvent} with its data as an object, for writing only. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "sequence",
    "data"
  })
  private record Outgoing(
      @JsonProperty("specversion") String specVersion,
      @JsonProperty("id") String id,
      @JsonProperty("source") String source,
      @JsonProperty("type") String type,
      @JsonProperty("subject") String subject,
      @JsonProperty("time") String time,
      @JsonProperty("datacontenttype") String dataContentType,
      @JsonProperty("sequence") Long sequence,
      @JsonProperty("data") Object data) {}

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
