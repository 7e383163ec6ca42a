package dev.minitower.model.runner;

/** Paths, headers and token formats of the runner protocol, shared by server and agent. */
public final class RunnerProtocol {
  private RunnerProtocol() {}

  public static final String REGISTER = "/api/v1/runners/register";
  public static final String LEASE = "/api/v1/runs/lease";
  public static final String BATCH_HEARTBEAT = "/api/v1/runners/heartbeat";

  /** Addition: lease several runs in one call, optionally started ({@link BatchLeaseRequest}). */
  public static final String BATCH_LEASE = "/api/v1/runners/lease";

  /** Addition: the cancel push, a long poll for cancel requests ({@link CancelWatchRequest}). */
  public static final String CANCELS = "/api/v1/runners/cancels";

  /** Lease token header; the runner token travels in {@code Authorization: Bearer}. */
  public static final String LEASE_TOKEN_HEADER = "X-Lease-Token";

  /**
   * Long-poll: how long a lease request may wait for work, as a query parameter ({@code ?wait=20s})
   * or this header (seconds). Absent = answer at once (204), as the original.
   */
  public static final String LEASE_WAIT_HEADER = "X-Lease-Wait";

  public static final String ARTIFACT_SHA_HEADER = "X-Artifact-SHA256";
  public static final String ENTRYPOINT_HEADER = "X-Entrypoint";
  public static final String TIMEOUT_HEADER = "X-Timeout-Seconds";
  public static final String IMPORT_PATHS_HEADER = "X-Import-Paths";

  public static final String RUNNER_TOKEN_PREFIX = "mtr_";

  public static String start(long runId) {
    return "/api/v1/runs/" + runId + "/start";
  }

  public static String heartbeat(long runId) {
    return "/api/v1/runs/" + runId + "/heartbeat";
  }

  public static String logs(long runId) {
    return "/api/v1/runs/" + runId + "/logs";
  }

  public static String result(long runId) {
    return "/api/v1/runs/" + runId + "/result";
  }

  public static String artifact(long runId) {
    return "/api/v1/runs/" + runId + "/artifact";
  }
}
