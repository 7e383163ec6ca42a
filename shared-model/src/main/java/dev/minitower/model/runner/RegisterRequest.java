package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code POST /api/v1/runners/register}. {@code max_concurrent} and {@code labels} are additions;
 * the original sends only name and environment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterRequest(
    @JsonProperty("name") String name,
    @JsonProperty("environment") String environment,
    @JsonProperty("max_concurrent") Integer maxConcurrent,
    @JsonProperty("labels") Map<String, String> labels) {}
