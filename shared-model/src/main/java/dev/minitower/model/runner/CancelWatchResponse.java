package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer of {@code POST /api/v1/runners/cancels}: runs to stop now (maybe none). */
public record CancelWatchResponse(@JsonProperty("run_ids") List<Long> runIds) {}
