package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code POST /api/v1/runs/{run}/result}: status {@code completed|failed|cancelled}. Sending the
 * same result again is accepted (200); a different one for a finished attempt is 409.
 *
 * <p>{@code logs} (addition, optional): the run's last log lines (at most {@link
 * LogEntry#MAX_BATCH}, the rules of a log batch), stored in the same transaction as the result, so
 * a short run needs no separate log call. Offered by servers that offer {@link
 * RunnerProtocol#BATCH_LEASE}; the original server does not know the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "exit_code", "error_message", "logs"})
public record ResultRequest(
    @JsonProperty("status") String status,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("logs") List<LogEntry> logs) {

  /** A result without log lines (the original's shape). */
  public ResultRequest(String status, Integer exitCode, String errorMessage) {
    this(status, exitCode, errorMessage, null);
  }
}
