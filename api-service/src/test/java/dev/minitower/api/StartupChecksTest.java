package dev.minitower.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.api.config.StartupChecksAccess;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** C-1..C-3: which configurations may start. */
class StartupChecksTest {

  static ApiConfig config(boolean signup, String bootstrap) {
    return new ApiConfig() {
      public boolean publicSignupEnabled() {
        return signup;
      }

      public Optional<String> bootstrapToken() {
        return Optional.ofNullable(bootstrap);
      }

      public Optional<String> corsOrigins() {
        return Optional.empty();
      }

      public Optional<String> secretsKey() {
        return Optional.empty();
      }

      public Optional<String> secretsOldKeys() {
        return Optional.empty();
      }

      public long maxRequestBodySize() {
        return 10;
      }

      public long maxArtifactSize() {
        return 100;
      }

      public long maxAnonymousBodySize() {
        return 10;
      }

      public Duration liveTokenCheckInterval() {
        return Duration.ofSeconds(2);
      }

      public int bcryptCost() {
        return 12;
      }

      public int signupRatePerMinute() {
        return 10;
      }

      public int loginRatePerMinute() {
        return 10;
      }
    };
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
