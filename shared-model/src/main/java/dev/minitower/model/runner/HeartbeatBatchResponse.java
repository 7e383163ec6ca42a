package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry per requested lease: {@code attempt} when extended, else {@code error} = {@code gone}
 * (the lease is lost: stop the workload, report nothing).
 */
public record HeartbeatBatchResponse(@JsonProperty("leases") List<Item> leases) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"run_id", "attempt", "error"})
  public record Item(
      @JsonProperty("run_id") long runId,
      @JsonProperty("attempt") AttemptView attempt,
      @JsonProperty("error") String error) {}
}
