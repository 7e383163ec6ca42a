package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code POST /api/v1/runs/{run}/result}: status {@code completed|failed|cancelled}. Sending the
 * same result again is accepted (200); a different one for a finished attempt is 409.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "exit_code", "error_message"})
public record ResultRequest(
    @JsonProperty("status") String status,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("error_message") String errorMessage) {}
