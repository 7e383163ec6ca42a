package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A granted lease ({@code POST /api/v1/runs/lease}, 200). The lease token is returned only here.
 * {@code artifact_sha256}, {@code import_paths} and {@code team_slug} are additions; {@code
 * started} (addition) is true when the batch lease already started the run (absent otherwise).
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
  "started"
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
    @JsonProperty("started") Boolean started) {

  /** A lease as the original answers it (not started). */
  public LeaseResponse(
      long runId,
      long runNo,
      long appId,
      String appSlug,
      int versionNo,
      String entrypoint,
      Integer timeoutSeconds,
      ObjectNode input,
      long attemptId,
      int attemptNo,
      String leaseToken,
      String leaseExpiresAt,
      String teamSlug,
      String artifactSha256,
      List<String> importPaths) {
    this(
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
        null);
  }
}
