package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Answer of start and heartbeat: the attempt's state and whether its cancellation was requested
 * (the runner's only cancellation channel). {@code run_id} is an addition used by the batch
 * heartbeat.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "attempt_id",
  "attempt_no",
  "status",
  "lease_expires_at",
  "cancel_requested",
  "run_status",
  "run_id"
})
public record AttemptView(
    @JsonProperty("attempt_id") long attemptId,
    @JsonProperty("attempt_no") int attemptNo,
    @JsonProperty("status") String status,
    @JsonProperty("lease_expires_at") String leaseExpiresAt,
    @JsonProperty("cancel_requested") boolean cancelRequested,
    @JsonProperty("run_status") String runStatus,
    @JsonProperty("run_id") Long runId) {}
