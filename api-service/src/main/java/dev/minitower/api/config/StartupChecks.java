package dev.minitower.api.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The rules between settings, which a constraint on one key cannot express: a server nobody could
 * ever log in to (the original's config rule, C-2), and an artifact cap below the request cap. The
 * range of each key is a constraint on {@link ApiConfig}.
 */
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
  }
}
