package dev.minitower.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Response bodies, field for field in the original's order (records serialise in component order).
 * Optional fields are omitted when null, as the original does. Timestamps are pre-formatted RFC
 * 3339 strings with second precision.
 */
public final class Views {
  private Views() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AuthOptions(boolean signupEnabled, boolean bootstrapEnabled) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TeamCreated(long teamId, String slug, String token, String role) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record LoginResult(long teamId, String token, long tokenId, String role) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Me(long teamId, String teamSlug, long tokenId, String role) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TokenCreated(
      long tokenId,
      @Schema(required = true) String token,
      String name,
      @Schema(required = true) String role,
      String expiresAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TokenInfo(
      long tokenId,
      String name,
      @Schema(required = true) String role,
      @Schema(required = true) String createdAt,
      String lastUsedAt,
      String expiresAt,
      String revokedAt) {}

  public record TokenList(List<TokenInfo> tokens) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunnerTokenCreated(
      long tokenId, @Schema(required = true) String token, String name, String expiresAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunnerTokenInfo(
      long tokenId,
      String name,
      @Schema(required = true) String createdAt,
      String expiresAt,
      String revokedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record RunnerTokenList(List<RunnerTokenInfo> runnerTokens) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EnvironmentView(
      long environmentId, String name, boolean isDefault, String createdAt) {}

  public record EnvironmentList(List<EnvironmentView> environments) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppView(
      long appId,
      @Schema(required = true) String slug,
      String description,
      boolean disabled,
      @Schema(required = true) String createdAt,
      @Schema(required = true) String updatedAt) {}

  public record AppList(List<AppView> apps) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VersionView(
      long versionId,
      int versionNo,
      @Schema(required = true) String entrypoint,
      Integer timeoutSeconds,
      JsonNode paramsSchema,
      @Schema(required = true) String artifactSha256,
      String towerfileToml,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> importPaths,
      @Schema(required = true) String createdAt) {}

  public record VersionList(List<VersionView> versions) {}

  /** The Run object; {@code appSlug} is filled only where the original fills it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunView(
      long runId,
      long appId,
      String appSlug,
      long runNo,
      int versionNo,
      @Schema(required = true) String status,
      JsonNode input,
      int priority,
      int maxRetries,
      int retryCount,
      boolean cancelRequested,
      @Schema(required = true) String queuedAt,
      String startedAt,
      String finishedAt,
      String environment,
      boolean retryOnFailure) {}

  public record RunList(List<RunView> runs) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record RunSummary(long totalRuns, long activeRuns, long queuedRuns, long terminalRuns) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record LogView(int attemptNo, long seq, String stream, String line, String loggedAt) {}

  /**
   * A page of log lines. {@code next_after_attempt}/{@code next_after_seq} are the cursor to send
   * back; {@code has_more} says a full page was cut at the limit.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record LogPage(
      List<LogView> logs, int nextAfterAttempt, long nextAfterSeq, boolean hasMore) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AttemptView(
      int attemptNo,
      @Schema(required = true) String status,
      String runnerName,
      Integer exitCode,
      String errorMessage,
      String startedAt,
      String finishedAt,
      @JsonInclude(JsonInclude.Include.ALWAYS) List<String> secretNames) {}

  public record AttemptList(List<AttemptView> attempts) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunnerView(
      long runnerId,
      @Schema(required = true) String name,
      @Schema(required = true) String environment,
      @Schema(required = true) String status,
      String lastSeenAt,
      @Schema(required = true) String scope) {}

  public record RunnerList(List<RunnerView> runners) {}
}
