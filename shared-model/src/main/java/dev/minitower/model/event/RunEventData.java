package dev.minitower.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code data} of a run event: the run's state right after the change. Attempt fields are set
 * for events a runner or the reaper causes; {@code reason} explains requeues and reaper outcomes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "run_id",
  "run_no",
  "team_id",
  "team_slug",
  "app_id",
  "app_slug",
  "environment",
  "status",
  "previous_status",
  "retry_count",
  "attempt_no",
  "runner_id",
  "exit_code",
  "error_message",
  "reason"
})
public record RunEventData(
    @JsonProperty("run_id") long runId,
    @JsonProperty("run_no") long runNo,
    @JsonProperty("team_id") long teamId,
    @JsonProperty("team_slug") String teamSlug,
    @JsonProperty("app_id") long appId,
    @JsonProperty("app_slug") String appSlug,
    @JsonProperty("environment") String environment,
    @JsonProperty("status") String status,
    @JsonProperty("previous_status") String previousStatus,
    @JsonProperty("retry_count") int retryCount,
    @JsonProperty("attempt_no") Integer attemptNo,
    @JsonProperty("runner_id") Long runnerId,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("reason") String reason) {}
