package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/runners/heartbeat} (addition): extend every listed lease of the calling
 * runner in one call.
 */
public record HeartbeatBatchRequest(@JsonProperty("leases") List<Lease> leases) {

  public record Lease(
      @JsonProperty("run_id") long runId, @JsonProperty("lease_token") String leaseToken) {}
}
