package dev.minitower.store.runs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the shared run transitions. */
@ConfigMapping(prefix = "minitower.runs")
public interface RunStoreConfig {

  /** First delay before a run that failed (and retries on failure) can be leased again. */
  @WithDefault("5S")
  Duration retryBackoffBase();

  /** Upper bound of the exponential retry backoff. */
  @WithDefault("5M")
  Duration retryBackoffMax();
}
