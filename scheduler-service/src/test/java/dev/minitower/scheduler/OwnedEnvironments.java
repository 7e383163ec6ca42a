package dev.minitower.scheduler;

import dev.minitower.scheduler.config.SweepScope;
import dev.minitower.testsupport.DbFixtures;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sweeps of this suite act only on environments its tests created: the database is shared with
 * other suites whose runs, runners and attempts must not be reaped or pruned by us.
 */
@Singleton
public class OwnedEnvironments implements SweepScope {
  private final Set<String> owned = ConcurrentHashMap.newKeySet();

  public OwnedEnvironments() {
    owned.add("scheduler-test-none");
  }

  /** A fresh unique environment that from now on is the only one the sweeps act on. */
  public String fresh() {
    String env = DbFixtures.uniqueEnvironment();
    owned.clear();
    owned.add(env);
    return env;
  }

  /** One more environment in the current scope. */
  public String another() {
    String env = DbFixtures.uniqueEnvironment();
    owned.add(env);
    return env;
  }

  @Override
  public Optional<Set<String>> environments() {
    return Optional.of(Set.copyOf(owned));
  }
}
