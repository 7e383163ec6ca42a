package dev.minitower.model.event;

/** Runner lifecycle event types; the wire type is {@code dev.minitower.runner.<name>}. */
public enum RunnerEventType {
  REGISTERED("registered"),
  OFFLINE("offline"),
  PRUNED("pruned");

  public static final String PREFIX = "dev.minitower.runner.";

  private final String name;

  RunnerEventType(String name) {
    this.name = name;
  }

  public String type() {
    return PREFIX + name;
  }

  public static RunnerEventType fromType(String type) {
    for (RunnerEventType t : values()) {
      if (t.type().equals(type)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown runner event type: " + type);
  }
}
