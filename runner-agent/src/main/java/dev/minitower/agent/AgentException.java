package dev.minitower.agent;

/** The agent cannot start (docs/spec/towerfile-and-runner.md §3.2: the process exits 1). */
public class AgentException extends Exception {
  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
