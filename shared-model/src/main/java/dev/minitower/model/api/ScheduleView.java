package dev.minitower.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule as the API shows it (times RFC 3339 UTC). */
public record ScheduleView(
    @JsonProperty("schedule_id") long id,
    @JsonProperty("app") String app,
    @JsonProperty("name") String name,
    @JsonProperty("cron") String cron,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("environment") String environment,
    @JsonProperty("version_no") @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS)
        Integer versionNo,
    @JsonProperty("input") @Schema(nullable = true) JsonNode input,
    @JsonProperty("priority") int priority,
    @JsonProperty("max_retries") int maxRetries,
    @JsonProperty("enabled") boolean enabled,
    @JsonProperty("overlap_policy") String overlapPolicy,
    @JsonProperty("catchup_policy") String catchupPolicy,
    @JsonProperty("catchup_max") int catchupMax,
    @JsonProperty("next_fire_at") @Schema(nullable = true) String nextFireAt,
    @JsonProperty("last_fired_at") @Schema(nullable = true) String lastFiredAt,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("updated_at") String updatedAt) {

  /** One recorded tick: {@code outcome} fired, skipped or failed; {@code reason} says why not. */
  public record TickView(
      @JsonProperty("tick_at") String tickAt,
      @JsonProperty("outcome") String outcome,
      @JsonProperty("reason") @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS)
          String reason,
      @JsonProperty("run_id") @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS)
          Long runId) {}

  /** The ticks answer. */
  public record TickList(@JsonProperty("ticks") List<TickView> ticks) {}

  /**
   * A schedule in the team-wide list: every field of the schedule plus its latest tick ({@code
   * null} before the first).
   */
  public record WithLastTick(
      @com.fasterxml.jackson.annotation.JsonUnwrapped ScheduleView schedule,
      @JsonProperty("last_tick") @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS)
          TickView lastTick) {}

  /** The team-wide list answer. */
  public record TeamScheduleList(@JsonProperty("schedules") List<WithLastTick> schedules) {}

  /** A list answer. */
  public record ScheduleList(@JsonProperty("schedules") List<ScheduleView> schedules) {}
}
