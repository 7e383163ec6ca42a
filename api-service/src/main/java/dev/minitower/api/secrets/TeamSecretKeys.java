package dev.minitower.api.secrets;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.secrets.SecretCipher;
import dev.minitower.platform.secrets.SecretKeyCheck;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * The secrets key of api-service (MINITOWER_SECRETS_KEY and the old keys). At start it refuses to
 * run when stored secrets could not be decrypted with the configured keys.
 */
@ApplicationScoped
public class TeamSecretKeys {
  private final Optional<SecretCipher> cipher;

  public TeamSecretKeys(ApiConfig config) {
    try {
      this.cipher = SecretCipher.of(config.secretsKey(), config.secretsOldKeys());
    } catch (SecretCipher.SecretCipherException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  void check(@Observes StartupEvent ignored, AgroalDataSource dataSource) {
    SecretKeyCheck.verify(dataSource, cipher, "api-service");
  }

  /** The cipher, or 503 when this server has no secrets key. */
  public SecretCipher require() {
    return cipher.orElseThrow(
        () ->
            new ApiException(
                503,
                "unavailable",
                "team secrets are not enabled on this server (MINITOWER_SECRETS_KEY is not set)"));
  }

  public Optional<SecretCipher> cipher() {
    return cipher;
  }
}
