package dev.minitower.cli;

/**
 * A failure that ends the command: printed as {@code error: <message> (<code>)} on stderr, and the
 * process exits with {@link #exitCode()}.
 *
 * <p>{@code code} is the server's error code when the server sent an envelope ({@code not_found},
 * {@code slug_taken}, …); otherwise one of the CLI's own codes listed in docs/cli.md ({@code
 * usage}, {@code config}, {@code network}, {@code towerfile}, {@code io}, {@code http_<status>}).
 */
public class CliException extends RuntimeException {
  private final String code;
  private final int exitCode;

  public CliException(String message, String code, int exitCode) {
    this(message, code, exitCode, null);
  }

  public CliException(String message, String code, int exitCode, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.exitCode = exitCode;
  }

  /** A usage or validation error detected before any request (exit 1). */
  public static CliException usage(String message) {
    return new CliException(message, "usage", ExitCodes.ERROR);
  }

  public String code() {
    return code;
  }

  public int exitCode() {
    return exitCode;
  }
}
