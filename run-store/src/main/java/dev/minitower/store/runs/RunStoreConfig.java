package dev.minitower.store.runs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Settings of the shared run transitions; ranges are Bean Validation constraints, checked when the
 * mapping is built.
 */
@ConfigMapping(prefix = "minitower.runs")
public interface RunStoreConfig {

  /** First delay before a run that failed (and retries on failure) can be leased again. */
  @WithDefault("5S")
  @DurationMin(nanos = 0)
  Duration retryBackoffBase();

  /** Upper bound of the exponential retry backoff. */
  @WithDefault("5M")
  @DurationMin(nanos = 0)
  Duration retryBackoffMax();
}
