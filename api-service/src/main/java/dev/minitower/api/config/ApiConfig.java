package dev.minitower.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * api-service settings. Each key keeps the original's environment variable name: {@code
 * minitower.public-signup-enabled} is set by {@code MINITOWER_PUBLIC_SIGNUP_ENABLED}, and so on.
 * Ranges are Bean Validation constraints, checked when the mapping is built: a value out of range
 * fails start-up with a message naming the key. Rules between keys are {@link StartupChecks}.
 */
@ConfigMapping(prefix = "minitower")
public interface ApiConfig {

  /** Whether anyone may create a team with POST /api/v1/teams/signup. */
  @WithName("public-signup-enabled")
  @WithDefault("true")
  boolean publicSignupEnabled();

  /** Operator token for POST /api/v1/bootstrap/team; the route answers 404 when unset. */
  @WithName("bootstrap-token")
  Optional<String> bootstrapToken();

  /** Comma-separated exact origins allowed by CORS; CORS is off when unset or empty. */
  @WithName("cors-origins")
  Optional<String> corsOrigins();

  /** Body cap in bytes for every request except artifact uploads (413 beyond it). */
  @WithName("max-request-body-size")
  @WithDefault("10485760")
  @Positive
  long maxRequestBodySize();

  /**
   * Body cap in bytes for POST …/versions (artifact uploads). Must not be below the request cap: it
   * also sets the HTTP server's absolute limit ({@code quarkus.http.limits.max-body-size}).
   */
  @WithName("max-artifact-size")
  @WithDefault("104857600")
  @Positive
  long maxArtifactSize();

  /**
   * Body cap in bytes for requests without an Authorization header (sign-up, login): they need no
   * account, so a large body must not be read from them.
   */
  @WithName("max-anonymous-body-size")
  @WithDefault("65536")
  @Positive
  long maxAnonymousBodySize();

  /**
   * How often open live run streams re-check their token: a stream whose token was revoked or
   * expired ends within this interval (at least 100 ms).
   */
  @WithName("live-token-check-interval")
  @WithDefault("2s")
  @DurationMin(millis = 100)
  Duration liveTokenCheckInterval();

  /** bcrypt cost for team passwords (the original uses 12; tests lower it). */
  @WithName("bcrypt-cost")
  @WithDefault("12")
  @Min(4)
  @Max(31)
  int bcryptCost();

  /** Signup attempts allowed per client address per minute (429 beyond it). */
  @WithName("signup-rate-per-minute")
  @WithDefault("10")
  @Positive
  int signupRatePerMinute();

  /** Login attempts allowed per client address and team slug per minute (429 beyond it). */
  @WithName("login-rate-per-minute")
  @WithDefault("10")
  @Positive
  int loginRatePerMinute();

  /**
   * Key of the team secrets (MINITOWER_SECRETS_KEY): base64 of 32 random bytes ({@code openssl rand
   * -base64 32}). Without it secrets cannot be written, and the service refuses to start when
   * secrets are stored.
   */
  @WithName("secrets-key")
  Optional<String> secretsKey();

  /**
   * Previous secrets keys, comma-separated (MINITOWER_SECRETS_OLD_KEYS): they still decrypt values
   * stored under them until {@code POST /api/v1/admin/secrets/reencrypt} moves every value to the
   * current key.
   */
  @WithName("secrets-old-keys")
  Optional<String> secretsOldKeys();

  /**
   * Run creation's group commit: at most this many creates that arrive together share one
   * transaction (1 commits each alone). See {@code RunCreates}.
   */
  @WithName("run-create-batch-size")
  @WithDefault("64")
  @Min(1)
  @Max(1000)
  int runCreateBatchSize();

  /**
   * Run creation's group commit: at most this many create transactions at once; creates that arrive
   * while all are busy queue for the next one.
   */
  @WithName("run-create-concurrency")
  @WithDefault("2")
  @Min(1)
  @Max(64)
  int runCreateConcurrency();

  /** Bootstrap token value, empty when the route is disabled. */
  default Optional<String> bootstrapTokenValue() {
    return bootstrapToken().map(String::trim).filter(s -> !s.isEmpty());
  }
}
