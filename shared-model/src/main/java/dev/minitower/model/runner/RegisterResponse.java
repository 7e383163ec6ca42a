package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Answer to a registration: the runner token ({@code mtr_…}) is shown only here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"runner_id", "name", "token", "environment", "max_concurrent", "team_id"})
public record RegisterResponse(
    @JsonProperty("runner_id") long runnerId,
    @JsonProperty("name") String name,
    @JsonProperty("token") String token,
    @JsonProperty("environment") String environment,
    @JsonProperty("max_concurrent") Integer maxConcurrent,
    @JsonProperty("team_id") Long teamId) {}
