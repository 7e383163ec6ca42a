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
 *
 * <p>{@code next} (addition, optional): lease the runner's next run(s) in the same call and the
 * same transaction as the result, as {@link BatchLeaseRequest} would (no long poll: an empty queue
 * answers no lease at once). The answer is then a {@link ResultResponse} with {@code leases}; a
 * runner without a free slot gets none, never an error. Offered by the same servers as {@code
 * logs}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "exit_code", "error_message", "logs", "next"})
public record ResultRequest(
    @JsonProperty("status") String status,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("logs") List<LogEntry> logs,
    @JsonProperty("next") BatchLeaseRequest next) {

  /** A result with its last log lines and no next lease. */
  public ResultRequest(String status, Integer exitCode, String errorMessage, List<LogEntry> logs) {
    this(status, exitCode, errorMessage, logs, null);
  }

  /** A result without log lines (the original's shape). */
  public ResultRequest(String status, Integer exitCode, String errorMessage) {
    this(status, exitCode, errorMessage, null, null);
  }
}
