package dev.minitower.runners.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/** Refuses to start without a registration token, as the original does. */
public class StartupChecks {
  void check(@Observes StartupEvent event, RunnerServiceConfig config) {
    if (config.runnerRegistrationToken().filter(t -> !t.isBlank()).isEmpty()) {
      throw new IllegalStateException("MINITOWER_RUNNER_REGISTRATION_TOKEN is required");
    }
  }
}
