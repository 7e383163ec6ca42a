package dev.minitower.scheduler.config;

import java.util.Optional;
import java.util.Set;

/**
 * Which runner/run environments the time-driven sweeps act on. Production sweeps everything; a test
 * suite sharing its database with other suites narrows the sweeps to its own environments.
 */
public interface SweepScope {

  /** Empty: every environment. */
  Optional<Set<String>> environments();

  /** The scope as a SQL {@code text[]} parameter value: null means every environment. */
  default String[] sqlArray() {
    return environments().map(s -> s.toArray(String[]::new)).orElse(null);
  }
}
