package dev.minitower.model.event;

/**
 * Kafka topics of the lifecycle events; run events are keyed by run id, runner events by runner id.
 */
public final class EventTopics {
  private EventTopics() {}

  public static final String RUN_EVENTS = "minitower.run-events";
  public static final String RUNNER_EVENTS = "minitower.runner-events";
}
