package dev.minitower.agent.exec;

/**
 * What to report for an attempt (docs/spec/towerfile-and-runner.md §3.9). {@code logLine}, when
 * set, is appended to the run's log (stderr) before the result is sent.
 */
public record RunOutcome(String status, Integer exitCode, String errorMessage, String logLine) {

  public static RunOutcome completed() {
    return new RunOutcome("completed", 0, null, null);
  }

  public static RunOutcome exited(int code) {
    return new RunOutcome(
        "failed", code, "exit status " + code, "run failed: process exited with code " + code);
  }

  public static RunOutcome timedOut(long seconds) {
    return new RunOutcome(
        "failed", null, "timeout: exceeded " + seconds + "s", "run failed: timeout exceeded");
  }

  public static RunOutcome cancelled(String why) {
    return new RunOutcome("cancelled", null, why, null);
  }

  public static RunOutcome setupFailed(SetupFailure f) {
    return new RunOutcome("failed", null, f.resultMessage(), f.logLine());
  }
}
