package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One log line sent by a runner; {@code seq} is per attempt, shared by both streams. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seq", "stream", "line", "logged_at"})
public record LogEntry(
    @JsonProperty("seq") long seq,
    @JsonProperty("stream") String stream,
    @JsonProperty("line") String line,
    @JsonProperty("logged_at") String loggedAt) {

  /** Largest accepted line, in UTF-8 bytes (the original's 8 KiB). */
  public static final int MAX_LINE_BYTES = 8192;

  /** Largest accepted batch. */
  public static final int MAX_BATCH = 100;
}
