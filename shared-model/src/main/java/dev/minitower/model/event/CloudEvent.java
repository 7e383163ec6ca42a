package dev.minitower.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * CloudEvents 1.0, structured JSON mode: the envelope of every MiniTower lifecycle event on Kafka.
 * {@code sequence} is the per-aggregate sequence number (an extension attribute) so consumers can
 * order events of one run; {@code id} is unique and is what consumers deduplicate on.
 */
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
public record CloudEvent(
    @JsonProperty("specversion") String specVersion,
    @JsonProperty("id") String id,
    @JsonProperty("source") String source,
    @JsonProperty("type") String type,
    @JsonProperty("subject") String subject,
    @JsonProperty("time") String time,
    @JsonProperty("datacontenttype") String dataContentType,
    @JsonProperty("sequence") Long sequence,
    @JsonProperty("data") JsonNode data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String JSON = "application/json";
}
