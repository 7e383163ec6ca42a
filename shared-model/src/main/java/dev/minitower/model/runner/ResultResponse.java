package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/runs/{run}/result}: {@code {"status":"ok"}} as in the original,
 * plus {@code leases} (addition) when the result asked for its {@link ResultRequest#next() next}
 * lease: the runs granted in the result's transaction, in pick order, as {@link
 * BatchLeaseResponse#leases()} (empty when nothing was leasable or no slot was free).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "leases"})
public record ResultResponse(
    @JsonProperty("status") String status, @JsonProperty("leases") List<LeaseResponse> leases) {

  /** The original answer. */
  public static final ResultResponse OK = new ResultResponse("ok", null);

  /** The answer to a result that asked for its next lease. */
  public static ResultResponse withLeases(List<LeaseResponse> leases) {
    return new ResultResponse("ok", List.copyOf(leases));
  }
}
