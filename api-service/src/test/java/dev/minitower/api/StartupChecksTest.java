package dev.minitower.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.api.config.StartupChecksAccess;
import dev.minitower.testsupport.ConfigMappings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** C-1..C-3: which configurations may start. */
class StartupChecksTest {

  static ApiConfig config(boolean signup, String bootstrap) {
    Map<String, String> values = new HashMap<>();
    values.put("minitower.public-signup-enabled", Boolean.toString(signup));
    if (bootstrap != null) {
      values.put("minitower.bootstrap-token", bootstrap);
    }
    return ConfigMappings.build(ApiConfig.class, values);
  }

  @Test
  void artifactCapBelowTheRequestCapRefusesToStart() {
    ApiConfig config =
        ConfigMappings.build(
            ApiConfig.class,
            Map.of(
                "minitower.max-request-body-size", "1000",
                "minitower.max-artifact-size", "999"));
    assertThatThrownBy(() -> StartupChecksAccess.validate(config))
        .hasMessageContaining(
            "MINITOWER_MAX_ARTIFACT_SIZE must not be smaller than MINITOWER_MAX_REQUEST_BODY_SIZE");
  }

  @Test
  void c1SignupOnWithoutBootstrapStarts() {
    assertThatCode(() -> StartupChecksAccess.validate(config(true, null)))
        .doesNotThrowAnyException();
  }

  @Test
  void c2SignupOffWithoutBootstrapRefusesToStart() {
    assertThatThrownBy(() -> StartupChecksAccess.validate(config(false, " ")))
        .hasMessageContaining("MINITOWER_BOOTSTRAP_TOKEN is required");
  }

  @Test
  void c3SignupOffWithBootstrapStarts() {
    assertThatCode(() -> StartupChecksAccess.validate(config(false, "bootstrap-secret")))
        .doesNotThrowAnyException();
  }
}
