package dev.minitower.agent.exec;

/**
 * A run could not be prepared. {@code resultMessage} becomes the result's {@code error_message};
 * {@code logLine} is appended to the run's log (docs/spec/towerfile-and-runner.md §3.9 wording).
 */
public final class SetupFailure extends Exception {
  private final String logLine;

  public SetupFailure(String resultMessage, String logLine) {
    super(resultMessage);
    this.logLine = logLine;
  }

  public String resultMessage() {
    return getMessage();
  }

  public String logLine() {
    return logLine;
  }
}
