package dev.minitower.store.runs;

import dev.minitower.model.error.Refusal;

/**
 * A run transition the store refuses; the transaction rolls back. The messages are the ones the
 * clients see (platform maps the reason to the HTTP status).
 */
public final class RunRefusal extends Refusal {
  /** The message of every {@link Reason#GONE}: the lease is invalid, expired or finished. */
  public static final String GONE_MESSAGE = "invalid or expired lease";

  /** The message of {@link Reason#UNAUTHORIZED}: the runner is unknown. */
  public static final String UNAUTHORIZED_MESSAGE = "invalid or missing token";

  private RunRefusal(Reason reason, String message) {
    super(reason, message);
  }

  public static RunRefusal notFound(String message) {
    return new RunRefusal(Reason.NOT_FOUND, message);
  }

  public static RunRefusal conflict(String message) {
    return new RunRefusal(Reason.CONFLICT, message);
  }

  public static RunRefusal gone() {
    return new RunRefusal(Reason.GONE, GONE_MESSAGE);
  }

  public static RunRefusal unauthorized() {
    return new RunRefusal(Reason.UNAUTHORIZED, UNAUTHORIZED_MESSAGE);
  }

  public boolean isGone() {
    return reason() == Reason.GONE;
  }
}
