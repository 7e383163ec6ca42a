package dev.minitower.runners.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** runner-service settings; environment names are the original's ({@code MINITOWER_…}). */
@ConfigMapping(prefix = "minitower")
public interface RunnerServiceConfig {

  /** Platform registration token (MINITOWER_RUNNER_REGISTRATION_TOKEN); required. */
  @WithName("runner-registration-token")
  Optional<String> runnerRegistrationToken();

  /** Lease length (MINITOWER_LEASE_TTL): e.g. {@code 60s}, {@code 2m}. */
  @WithName("lease-ttl")
  @WithDefault("60s")
  Duration leaseTtl();

  /** Longest long-poll a runner may ask for (MINITOWER_LEASE_MAX_WAIT). */
  @WithName("lease-max-wait")
  @WithDefault("30s")
  Duration leaseMaxWait();

  /** Re-check interval of a waiting lease when no notification arrives (backoff ends, etc.). */
  @WithName("lease-recheck-interval")
  @WithDefault("5s")
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
