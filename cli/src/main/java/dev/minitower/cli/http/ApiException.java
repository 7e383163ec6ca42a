package dev.minitower.cli.http;

import dev.minitower.cli.CliException;

/** An HTTP error answer from the server. */
public final class ApiException extends CliException {
  private final int status;

  public ApiException(int status, String message, String code, int exitCode) {
    super(message, code, exitCode);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
