package dev.minitower.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The outbox relay switched on, publishing to a private broker the test may stop. */
public class RelayWithPrivateBroker implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "minitower.outbox.relay-enabled", "true",
        "minitower.outbox.poll-interval", "100ms",
        "minitower.outbox.max-backoff", "2s",
        "minitower.outbox.standby-interval", "500ms",
        "minitower.outbox.lock-key", Long.toString(ProcessHandle.current().pid() * 1000 + 7));
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(PrivateBroker.class));
  }
}
