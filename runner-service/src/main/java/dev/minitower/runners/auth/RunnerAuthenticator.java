package dev.minitower.runners.auth;

import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runner tokens ({@code mtr_…}): looked up by SHA-256, valid only while the runner is online (an
 * offline runner must re-register, as in the original). Every failure is the same 401.
 */
@ApplicationScoped
public class RunnerAuthenticator {
  private static final String FIND =
      "SELECT id, name, environment, team_id, max_concurrent FROM runners"
          + " WHERE token_hash = ? AND status = 'online'";

  private final AgroalDataSource dataSource;

  RunnerAuthenticator(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public RunnerPrincipal authenticate(String authorizationHeader) {
    String token = Secrets.bearer(authorizationHeader);
    if (token == null || !token.startsWith("mtr_")) {
      throw ApiException.unauthorized();
    }
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(
              c,
              FIND,
              rs ->
                  new RunnerPrincipal(
                      rs.getLong("id"),
                      rs.getString("name"),
                      rs.getString("environment"),
                      Jdbc.longOrNull(rs, "team_id"),
                      rs.getInt("max_concurrent")),
              Secrets.sha256Hex(token))
          .orElseThrow(ApiException::unauthorized);
    } catch (SQLException e) {
      throw new StoreException("authenticate runner", e);
    }
  }
}
