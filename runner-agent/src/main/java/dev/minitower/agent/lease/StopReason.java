package dev.minitower.agent.lease;

/** Why a run's workload is being stopped before it exits by itself. */
public enum StopReason {
  /** The server asked (start or heartbeat answered {@code cancel_requested: true}). */
  CANCEL_REQUESTED("cancel requested"),
  /** The run exceeded its timeout. */
  TIMEOUT("timeout exceeded"),
  /** The agent is shutting down and the drain timeout has passed. */
  SHUTDOWN("runner shutting down"),
  /** 410/409 on a lease-scoped call, or no successful heartbeat within the lease TTL. */
  LEASE_LOST("lease lost");

  private final String text;

  StopReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
