package dev.minitower.runners.service;

import dev.minitower.model.event.RunnerEventData;
import dev.minitower.model.event.RunnerEventType;
import dev.minitower.model.run.EnvironmentNames;
import dev.minitower.model.runner.RegisterRequest;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runners.RunnerStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runner registration. The platform token (MINITOWER_RUNNER_REGISTRATION_TOKEN) registers runners
 * that serve every team, as in the original; a team's own registration token ({@code mrt_…}, minted
 * through api-service) registers runners that serve only that team.
 *
 * <p>Identity rule (fixes the original's token ping-pong): a name is unique per scope; registering
 * an existing name takes the identity over (new token, the old one stops working at once, 200) as
 * in the original, except while the current token is in use: it has been used (lease poll or
 * heartbeat) since it was issued and within the last lease TTL. Then the answer is 409, so two
 * agents configured with the same name cannot keep invalidating each other.
 */
@ApplicationScoped
public class RunnerRegistry {
  private static final String TEAM_TOKEN =
      "SELECT team_id FROM runner_registration_tokens WHERE token_hash = ?"
          + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())";

  /** Outcome of a registration; {@code created} decides 201 versus 200. */
  public record Registration(
      long runnerId,
      String name,
      String token,
      String environment,
      int maxConcurrent,
      Long teamId,
      boolean created) {}

  private final AgroalDataSource dataSource;
  private final RunnerServiceConfig config;
  private final RunnerStore runners;
  private final OutboxWriter outbox;

  RunnerRegistry(
      AgroalDataSource dataSource,
      RunnerServiceConfig config,
      RunnerStore runners,
      OutboxWriter outbox) {
    this.dataSource = dataSource;
    this.config = config;
    this.runners = runners;
    this.outbox = outbox;
  }

  @Transactional
  public Registration register(String authorization, Supplier<RegisterRequest> body) {
    Long teamId = scope(Secrets.bearer(authorization));
    RegisterRequest request = body.get();
    String name = request == null ? null : request.name();
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("name is required");
    }
    if (name.length() > 128) {
      throw ApiException.badRequest("name must be at most 128 characters");
    }
    String environment =
        request.environment() == null || request.environment().isEmpty()
            ? EnvironmentNames.DEFAULT
            : request.environment();
    // A run targets an environment by a name that follows this rule: a runner serving another
    // label could never get work.
    if (!EnvironmentNames.isValid(environment)) {
      throw ApiException.badRequest("environment " + EnvironmentNames.RULE);
    }
    int maxConcurrent = request.maxConcurrent() == null ? 1 : request.maxConcurrent();
    if (maxConcurrent < 1 || maxConcurrent > 256) {
      throw ApiException.badRequest("max_concurrent must be between 1 and 256");
    }
    String labels = labelsJson(request.labels());
    String token = Secrets.newToken("mtr_");
    String hash = Secrets.sha256Hex(token);

    RunnerStore.Registration registration =
        new RunnerStore.Registration(teamId, name, environment, labels, hash, maxConcurrent);
    Optional<RunnerStore.NamedRunner> existing =
        runners.lockByName(name, teamId, config.leaseTtl());
    long id;
    boolean created;
    if (existing.isEmpty()) {
      id = runners.insert(registration);
      created = true;
    } else {
      RunnerStore.NamedRunner current = existing.get();
      if ("online".equals(current.status()) && current.alive()) {
        throw ApiException.conflict(
            "runner name \""
                + name
                + "\" is in use by a live runner; choose another name or wait until it has"
                + " been silent for the lease TTL ("
                + config.leaseTtl().toSeconds()
                + "s)");
      }
      id = current.id();
      runners.takeOver(id, registration);
      created = false;
    }
    outbox.runnerEvent(
        RunnerEventType.REGISTERED, new RunnerEventData(id, name, environment, teamId, "online"));
    return new Registration(id, name, token, environment, maxConcurrent, teamId, created);
  }

  /** Null for the platform token, the team id for a team registration token; else 401. */
  private Long scope(String token) {
    if (token == null) {
      throw ApiException.unauthorized();
    }
    if (Secrets.matches(token, config.runnerRegistrationToken())) {
      return null;
    }
    if (token.startsWith("mrt_")) {
      try (Connection c = dataSource.getConnection()) {
        Optional<Long> team =
            Jdbc.queryOne(c, TEAM_TOKEN, rs -> rs.getLong(1), Secrets.sha256Hex(token));
        if (team.isPresent()) {
          return team.get();
        }
      } catch (SQLException e) {
        throw new StoreException("register runner", e);
      }
    }
    throw ApiException.unauthorized();
  }

  private static String labelsJson(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return "{}";
    }
    if (labels.size() > 32) {
      throw ApiException.badRequest("at most 32 labels");
    }
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey().length() > 63 || (e.getValue() != null && e.getValue().length() > 255)) {
        throw ApiException.badRequest("label keys are at most 63 and values 255 characters");
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(quote(e.getKey()))
          .append(':')
          .append(quote(e.getValue() == null ? "" : e.getValue()));
    }
    return sb.append('}').toString();
  }

  private static String quote(String s) {
    return io.vertx.core.json.Json.encode(s);
  }
}
