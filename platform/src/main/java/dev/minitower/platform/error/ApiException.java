package dev.minitower.platform.error;

/**
 * A failure with a documented HTTP status and error code, rendered as the original's envelope
 * {@code {"error":{"code":…,"message":…}}}. Thrown by services; resources never build error bodies.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final transient Object details;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  public ApiException(int status, String code, String message, Object details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Extra response headers or data some errors carry (e.g. Retry-After seconds); may be null. */
  public Object details() {
    return details;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "invalid_request", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "invalid or missing token");
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "gone", message);
  }
}
