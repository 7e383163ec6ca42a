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
  private static final String LOCK_BY_NAME =
      "SELECT id, status, (last_seen_at > now() - ? * interval '1 millisecond'"
          + " AND last_seen_at > token_issued_at) AS alive FROM runners WHERE name = ? AND team_id IS NOT DISTINCT FROM ? FOR UPDATE";
  private static final String INSERT =
      "INSERT INTO runners (team_id, name, environment, labels, token_hash, status,"
          + " max_concurrent, last_seen_at, token_issued_at)"
          + " VALUES (?, ?, ?, ?::jsonb, ?, 'online', ?, now(), now())"
          + " RETURNING id";
  private static final String TAKE_OVER =
      "UPDATE runners SET token_hash = ?, environment = ?, labels = ?::jsonb, max_concurrent = ?,"
          + " status = 'online', last_seen_at = now(), token_issued_at = now(), updated_at = now()"
          + " WHERE id = ?";

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
  private final OutboxWriter outbox;

  RunnerRegistry(AgroalDataSource dataSource, RunnerServiceConfig config, OutboxWriter outbox) {
    this.dataSource = dataSource;
    this.config = config;
    this.outbox = outbox;
  }

  @Transactional
  public Registration register(String authorization, Supplier<RegisterRequest> body) {
    try (Connection c = dataSource.getConnection()) {
      Long teamId = scope(c, Secrets.bearer(authorization));
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

      Optional<Object[]> existing =
          Jdbc.queryOne(
              c,
              LOCK_BY_NAME,
              rs -> new Object[] {rs.getLong("id"), rs.getString("status"), rs.getBoolean("alive")},
              config.leaseTtl().toMillis(),
              name,
              Jdbc.bigint(teamId));
      long id;
      boolean created;
      if (existing.isEmpty()) {
        try {
          id =
              Jdbc.queryOne(
                      c,
                      INSERT,
                      rs -> rs.getLong(1),
                      Jdbc.bigint(teamId),
                      name,
                      environment,
                      labels,
                      hash,
                      maxConcurrent)
                  .orElseThrow();
        } catch (SQLException e) {
          if (Jdbc.isUniqueViolation(e)) {
            throw ApiException.conflict("runner name is already registered; retry");
          }
          throw e;
        }
        created = true;
      } else {
        Object[] row = existing.get();
        if ("online".equals(row[1]) && Boolean.TRUE.equals(row[2])) {
          throw ApiException.conflict(
              "runner name \""
                  + name
                  + "\" is in use by a live runner; choose another name or wait until it has"
                  + " been silent for the lease TTL ("
                  + config.leaseTtl().toSeconds()
                  + "s)");
        }
        id = (Long) row[0];
        Jdbc.update(c, TAKE_OVER, hash, environment, labels, maxConcurrent, id);
        created = false;
      }
      outbox.runnerEvent(
          RunnerEventType.REGISTERED, new RunnerEventData(id, name, environment, teamId, "online"));
      return new Registration(id, name, token, environment, maxConcurrent, teamId, created);
    } catch (SQLException e) {
      throw new StoreException("register runner", e);
    }
  }

  /** Null for the platform token, the team id for a team registration token; else 401. */
  private Long scope(Connection c, String token) throws SQLException {
    if (token == null) {
      throw ApiException.unauthorized();
    }
    if (config.runnerRegistrationToken().map(t -> Secrets.matches(token, t)).orElse(false)) {
      return null;
    }
    if (token.startsWith("mrt_")) {
      Optional<Long> team =
          Jdbc.queryOne(c, TEAM_TOKEN, rs -> rs.getLong(1), Secrets.sha256Hex(token));
      if (team.isPresent()) {
        return team.get();
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
