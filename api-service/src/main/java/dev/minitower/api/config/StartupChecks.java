package dev.minitower.api.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start a server nobody could ever log in to (the original's config rule, C-2). */
@ApplicationScoped
public class StartupChecks {

  void check(@Observes StartupEvent ignored, ApiConfig config) {
    validate(config);
  }

  static void validate(ApiConfig config) {
    if (!config.publicSignupEnabled() && config.bootstrapTokenValue().isEmpty()) {
      throw new IllegalStateException(
          "MINITOWER_BOOTSTRAP_TOKEN is required when MINITOWER_PUBLIC_SIGNUP_ENABLED is false");
    }
    if (config.maxArtifactSize() < config.maxRequestBodySize()) {
      throw new IllegalStateException(
          "MINITOWER_MAX_ARTIFACT_SIZE must not be smaller than MINITOWER_MAX_REQUEST_BODY_SIZE");
    }
    if (config.bcryptCost() < 4 || config.bcryptCost() > 31) {
      throw new IllegalStateException("minitower.bcrypt-cost must be between 4 and 31");
    }
  }
}
