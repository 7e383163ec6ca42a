package dev.minitower.model.event;

/**
 * Every run lifecycle event type (docs/events.md); the wire type is {@code
 * dev.minitower.run.<name>}.
 */
public enum RunEventType {
  CREATED("created"),
  LEASED("leased"),
  STARTED("started"),
  CANCEL_REQUESTED("cancel_requested"),
  COMPLETED("completed"),
  FAILED("failed"),
  CANCELLED("cancelled"),
  DEAD("dead"),
  REQUEUED("requeued");

  public static final String PREFIX = "dev.minitower.run.";

  private final String name;

  RunEventType(String name) {
    this.name = name;
  }

  public String type() {
    return PREFIX + name;
  }

  public static RunEventType fromType(String type) {
    for (RunEventType t : values()) {
      if (t.type().equals(type)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown run event type: " + type);
  }
}
