package dev.minitower.model.error;

import java.util.Objects;

/**
 * A request a store refuses for a reason the caller can act on (the run is not there, the state
 * conflicts, the lease is gone). It carries no HTTP: the stores throw their own subclasses, and
 * platform's error mapper turns the {@link Reason} into a status and the error envelope. The
 * message is the one the client sees.
 */
public abstract class Refusal extends RuntimeException {

  /** Why the request was refused; each has exactly one answer on the wire. */
  public enum Reason {
    /** The thing asked for does not exist for this caller. */
    NOT_FOUND,
    /** The request conflicts with the current state. */
    CONFLICT,
    /** The lease is invalid, expired or finished. */
    GONE,
    /** The caller is not (or no longer) known. */
    UNAUTHORIZED
  }

  private final Reason reason;

  protected Refusal(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
