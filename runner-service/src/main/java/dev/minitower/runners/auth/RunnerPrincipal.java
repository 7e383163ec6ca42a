package dev.minitower.runners.auth;

import dev.minitower.store.runs.RunRecords.RunnerRef;
import java.security.Principal;

/** The authenticated runner of a request. {@code teamId} null = platform runner (all teams). */
public record RunnerPrincipal(
    long id, String name, String environment, Long teamId, int maxConcurrent) implements Principal {

  @Override
  public String getName() {
    return name;
  }

  public RunnerRef ref() {
    return new RunnerRef(id, teamId, environment, maxConcurrent);
  }
}
