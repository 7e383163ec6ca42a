package dev.minitower.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Response bodies of the stats endpoints (times RFC 3339 UTC, durations in seconds). Nullable
 * aggregates (a bucket without finished runs has no percentile) are sent as {@code null}, never
 * omitted, so a chart can tell "no data" from "missing field".
 */
public final class StatsViews {
  private StatsViews() {}

  /** Runs queued in one bucket, by their current status. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record BucketView(
      @Schema(nullable = true) String start,
      long total,
      long queued,
      long active,
      long completed,
      long failed,
      long cancelled,
      long dead,
      @Schema(nullable = true) Double successRate,
      @Schema(nullable = true) Double durationP50Seconds,
      @Schema(nullable = true) Double durationP95Seconds) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record RunStats(
      @Schema(nullable = true) String app,
      String bucket,
      String since,
      BucketView totals,
      List<BucketView> buckets) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record AppDurationView(
      String app,
      long runs,
      long failed,
      @Schema(nullable = true) Double durationP50Seconds,
      @Schema(nullable = true) Double durationP95Seconds,
      @Schema(nullable = true) Double durationMaxSeconds) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SlowestApps(String since, List<AppDurationView> apps) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DurationPointView(
      long runId,
      long runNo,
      String status,
      String queuedAt,
      String startedAt,
      String finishedAt,
      double durationSeconds) {}

  public record DurationList(List<DurationPointView> runs) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record AttemptSpanView(
      int attemptNo,
      String status,
      @Schema(nullable = true) String runnerName,
      @Schema(nullable = true) String queuedAt,
      @Schema(nullable = true) String leasedAt,
      @Schema(nullable = true) String startedAt,
      @Schema(nullable = true) String finishedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record RunTimeline(
      long runId,
      String status,
      String queuedAt,
      @Schema(nullable = true) String finishedAt,
      List<AttemptSpanView> attempts) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EnvironmentRunnerView(
      long runnerId,
      String name,
      String status,
      @Schema(nullable = true) String lastSeenAt,
      String scope) {}

  /**
   * An environment with its queue: {@code runners} (the runners whose label is this name) is listed
   * for admins only, as {@code GET /admin/runners} is; everyone sees the online count.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record EnvironmentOverview(
      long environmentId,
      String name,
      boolean isDefault,
      long queuedRuns,
      long activeRuns,
      @Schema(nullable = true) String oldestQueuedAt,
      long runnersOnline,
      @Schema(nullable = true) List<EnvironmentRunnerView> runners) {}

  public record EnvironmentOverviewList(List<EnvironmentOverview> environments) {}
}
