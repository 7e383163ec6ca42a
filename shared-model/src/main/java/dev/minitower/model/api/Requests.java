package dev.minitower.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Request bodies. Any field not declared here is refused (no mass assignment). */
public final class Requests {
  private Requests() {}

  public record Signup(String slug, String name, String password) {}

  public record Login(String slug, String password) {}

  public record Bootstrap(String slug, String name, String password) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CreateToken(String name, String role, Long expiresInSeconds, String expiresAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CreateRunnerToken(String name, Long expiresInSeconds, String expiresAt) {}

  public record CreateEnvironment(String name) {}

  public record CreateApp(String slug, String description) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CreateRun(
      JsonNode input,
      Long versionNo,
      Long priority,
      Long maxRetries,
      String environment,
      Boolean retryOnFailure) {}
}
