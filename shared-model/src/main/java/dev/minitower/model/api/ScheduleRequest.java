package dev.minitower.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of create (POST) and update (PATCH/PUT): on update, absent fields keep their value; {@code
 * "version_no": null} is only expressible on create (null = always the latest version).
 */
public record ScheduleRequest(
    @JsonProperty("name") String name,
    @JsonProperty("cron") String cron,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("environment") String environment,
    @JsonProperty("version_no") Integer versionNo,
    @JsonProperty("input") JsonNode input,
    @JsonProperty("priority") Integer priority,
    @JsonProperty("max_retries") Integer maxRetries,
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("overlap_policy") String overlapPolicy,
    @JsonProperty("catchup_policy") String catchupPolicy,
    @JsonProperty("catchup_max") Integer catchupMax) {}
