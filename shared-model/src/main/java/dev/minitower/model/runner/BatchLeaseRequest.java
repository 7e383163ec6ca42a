package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/runners/lease} (addition): lease up to {@code max} runs at once (1–256,
 * capped by the runner's free slots; default 1). With {@code start}, the granted runs are already
 * running when the answer arrives (lease and start fused into one transition, so no separate {@code
 * /start} call). Long-polls like the original lease ({@code ?wait=20s} or {@code X-Lease-Wait}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchLeaseRequest(
    @JsonProperty("max") Integer max, @JsonProperty("start") Boolean start) {
  public static final int MAX_LEASES = 256;
}
