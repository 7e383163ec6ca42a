package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/runners/lease} (200; 204 when nothing was leasable within the
 * wait): the granted leases in pick order, each as the original lease answer plus {@code started}.
 */
public record BatchLeaseResponse(@JsonProperty("leases") List<LeaseResponse> leases) {}
