package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A granted lease ({@code POST /api/v1/runs/lease}, 200). The lease token is returned only here.
 * {@code artifact_sha256}, {@code import_paths} and {@code team_slug} are additions; {@code
 * started} (addition) is true when the batch lease already started the run (absent otherwise);
 * {@code secrets} (addition): the team secrets the version's Towerfile names, resolved for the
 * run's environment, as variable name → value. It is present only when the run has secrets, goes
 * only to the leasing runner, and is never logged or stored by either side.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "run_id",
  "run_no",
  "app_id",
  "app_slug",
  "version_no",
  "entrypoint",
  "timeout_seconds",
  "input",
  "attempt_id",
  "attempt_no",
  "lease_token",
  "lease_expires_at",
  "team_slug",
  "artifact_sha256",
  "import_paths",
  "started",
  "secrets"
})
public record LeaseResponse(
    @JsonProperty("run_id") long runId,
    @JsonProperty("run_no") long runNo,
    @JsonProperty("app_id") long appId,
    @JsonProperty("app_slug") String appSlug,
    @JsonProperty("version_no") int versionNo,
    @JsonProperty("entrypoint") String entrypoint,
    @JsonProperty("timeout_seconds") Integer timeoutSeconds,
    @JsonProperty("input") ObjectNode input,
    @JsonProperty("attempt_id") long attemptId,
    @JsonProperty("attempt_no") int attemptNo,
    @JsonProperty("lease_token") String leaseToken,
    @JsonProperty("lease_expires_at") String leaseExpiresAt,
    @JsonProperty("team_slug") String teamSlug,
    @JsonProperty("artifact_sha256") String artifactSha256,
    @JsonProperty("import_paths") List<String> importPaths,
    @JsonProperty("started") Boolean started,
    @JsonProperty("secrets") Map<String, String> secrets) {

  /** A builder; fields not set are absent from the JSON (or 0 for the numbers). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LeaseResponse} field by field, so no caller counts 17 positions. */
  public static final class Builder {
    private long runId;
    private long runNo;
    private long appId;
    private String appSlug;
    private int versionNo;
    private String entrypoint;
    private Integer timeoutSeconds;
    private ObjectNode input;
    private long attemptId;
    private int attemptNo;
    private String leaseToken;
    private String leaseExpiresAt;
    private String teamSlug;
    private String artifactSha256;
    private List<String> importPaths;
    private Boolean started;
    private Map<String, String> secrets;

    private Builder() {}

    public Builder runId(long runId) {
      this.runId = runId;
      return this;
    }

    public Builder runNo(long runNo) {
      this.runNo = runNo;
      return this;
    }

    public Builder appId(long appId) {
      this.appId = appId;
      return this;
    }

    public Builder appSlug(String appSlug) {
      this.appSlug = appSlug;
      return this;
    }

    public Builder versionNo(int versionNo) {
      this.versionNo = versionNo;
      return this;
    }

    public Builder entrypoint(String entrypoint) {
      this.entrypoint = entrypoint;
      return this;
    }

    public Builder timeoutSeconds(Integer timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
      return this;
    }

    public Builder input(ObjectNode input) {
      this.input = input;
      return this;
    }

    public Builder attemptId(long attemptId) {
      this.attemptId = attemptId;
      return this;
    }

    public Builder attemptNo(int attemptNo) {
      this.attemptNo = attemptNo;
      return this;
    }

    public Builder leaseToken(String leaseToken) {
      this.leaseToken = leaseToken;
      return this;
    }

    public Builder leaseExpiresAt(String leaseExpiresAt) {
      this.leaseExpiresAt = leaseExpiresAt;
      return this;
    }

    public Builder teamSlug(String teamSlug) {
      this.teamSlug = teamSlug;
      return this;
    }

    public Builder artifactSha256(String artifactSha256) {
      this.artifactSha256 = artifactSha256;
      return this;
    }

    public Builder importPaths(List<String> importPaths) {
      this.importPaths = importPaths;
      return this;
    }

    /** True when the batch lease already started the run; null (absent) otherwise. */
    public Builder started(Boolean started) {
      this.started = started;
      return this;
    }

    /** The run's resolved secrets; null (absent) when it has none. */
    public Builder secrets(Map<String, String> secrets) {
      this.secrets = secrets;
      return this;
    }

    public LeaseResponse build() {
      return new LeaseResponse(
          runId,
          runNo,
          appId,
          appSlug,
          versionNo,
          entrypoint,
          timeoutSeconds,
          input,
          attemptId,
          attemptNo,
          leaseToken,
          leaseExpiresAt,
          teamSlug,
          artifactSha256,
          importPaths,
          started,
          secrets);
    }
  }

  /** Never prints secret values (a record's default toString would). */
  @Override
  public String toString() {
    return "LeaseResponse[run_id="
        + runId
        + ", attempt_id="
        + attemptId
        + ", secrets="
        + (secrets == null ? "[]" : secrets.keySet())
        + "]";
  }
}
