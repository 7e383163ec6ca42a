package dev.minitower.cli;

/**
 * Process exit codes of the CLI (docs/spec/towerfile-and-runner.md §4.5). They are part of the
 * contract for scripts, so they never change meaning.
 */
public final class ExitCodes {
  /** Success; for {@code runs watch} and {@code runs logs --follow}: the run completed. */
  public static final int OK = 0;

  /**
   * Usage and validation errors, network errors, HTTP errors without a dedicated code; for {@code
   * runs watch}/{@code runs logs --follow}: the run failed or is dead.
   */
  public static final int ERROR = 1;

  /** {@code runs watch}/{@code runs logs --follow}: the run was cancelled. */
  public static final int CANCELLED = 2;

  /** HTTP 401 or 403. */
  public static final int UNAUTHORIZED = 10;

  /** HTTP 404, a {@code versions get} miss, {@code runs watch} without runs. */
  public static final int NOT_FOUND = 11;

  /** HTTP 409. */
  public static final int CONFLICT = 12;

  /** HTTP 410. */
  public static final int GONE = 13;

  private ExitCodes() {}

  /** Exit code for an HTTP error status. */
  public static int forHttpStatus(int status) {
    return switch (status) {
      case 401, 403 -> UNAUTHORIZED;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 410 -> GONE;
      default -> ERROR;
    };
  }
}
