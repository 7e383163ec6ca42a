package dev.minitower.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The {@code data} of a runner event. {@code team_id} is null for platform runners. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"runner_id", "name", "environment", "team_id", "status"})
public record RunnerEventData(
    @JsonProperty("runner_id") long runnerId,
    @JsonProperty("name") String name,
    @JsonProperty("environment") String environment,
    @JsonProperty("team_id") Long teamId,
    @JsonProperty("status") String status) {}
