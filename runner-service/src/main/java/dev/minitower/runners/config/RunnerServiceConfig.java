package dev.minitower.runners.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * runner-service settings; environment names are the original's ({@code MINITOWER_…}). Ranges are
 * Bean Validation constraints, checked when the mapping is built: a missing or bad value fails
 * start-up with a message naming the key.
 */
@ConfigMapping(prefix = "minitower")
public interface RunnerServiceConfig {

  /**
   * Platform registration token (MINITOWER_RUNNER_REGISTRATION_TOKEN); required, as the original
   * refuses to start without it.
   */
  @WithName("runner-registration-token")
  @NotBlank
  String runnerRegistrationToken();

  /** Lease length (MINITOWER_LEASE_TTL): e.g. {@code 60s}, {@code 2m}. */
  @WithName("lease-ttl")
  @WithDefault("60s")
  @DurationMin(nanos = 0, inclusive = false)
  Duration leaseTtl();

  /** Longest long-poll a runner may ask for (MINITOWER_LEASE_MAX_WAIT); 0 answers at once. */
  @WithName("lease-max-wait")
  @WithDefault("30s")
  @DurationMin(nanos = 0)
  Duration leaseMaxWait();

  /** Re-check interval of a waiting lease when no notification arrives (backoff ends, etc.). */
  @WithName("lease-recheck-interval")
  @WithDefault("5s")
  @DurationMin(nanos = 0, inclusive = false)
  Duration leaseRecheckInterval();

  /**
   * Key of the team secrets (MINITOWER_SECRETS_KEY), the same as api-service's: runs whose version
   * names secrets get them decrypted at lease. The service refuses to start without it when secrets
   * are stored.
   */
  @WithName("secrets-key")
  Optional<String> secretsKey();

  /** Previous secrets keys, comma-separated (MINITOWER_SECRETS_OLD_KEYS); they only decrypt. */
  @WithName("secrets-old-keys")
  Optional<String> secretsOldKeys();
}
