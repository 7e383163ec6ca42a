package dev.minitower.model.artifact;

/**
 * An artifact that must be refused with a 4xx. {@link #code()} is the API error code:
 *
 * <ul>
 *   <li>{@value #TOWERFILE_MISSING} with the original's messages (not gzip, not tar, Towerfile too
 *       big, no Towerfile, Towerfile unreadable);
 *   <li>{@value #ARTIFACT_INVALID} for the safety rules the original did not have (unsafe names and
 *       links, special files, limits, truncation); the message names the offending entry;
 *   <li>{@value #TOWERFILE_INVALID} when the root Towerfile is not valid UTF-8.
 * </ul>
 */
public final class ArchiveException extends RuntimeException {

  public static final String TOWERFILE_MISSING = "TOWERFILE_MISSING";
  public static final String ARTIFACT_INVALID = "ARTIFACT_INVALID";
  public static final String TOWERFILE_INVALID = "TOWERFILE_INVALID";

  private final String code;

  public ArchiveException(String code, String message) {
    super(message);
    this.code = code;
  }

  static ArchiveException missing(String message) {
    return new ArchiveException(TOWERFILE_MISSING, message);
  }

  static ArchiveException invalid(String message) {
    return new ArchiveException(ARTIFACT_INVALID, message);
  }

  public String code() {
    return code;
  }

  public String message() {
    return getMessage();
  }
}
