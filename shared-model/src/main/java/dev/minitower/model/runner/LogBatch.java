package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /api/v1/runs/{run}/logs}: at most {@link LogEntry#MAX_BATCH} entries. */
public record LogBatch(@JsonProperty("logs") List<LogEntry> logs) {}
