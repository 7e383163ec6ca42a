package dev.minitower.runners.service;

import dev.minitower.platform.secrets.SecretCipher;
import dev.minitower.platform.secrets.SecretCipher.Owner;
import dev.minitower.platform.secrets.SecretCipher.Sealed;
import dev.minitower.platform.secrets.SecretKeyCheck;
import dev.minitower.runners.config.RunnerServiceConfig;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.runs.AttemptSecrets;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Team secrets of a freshly leased run: the names its version's Towerfile declares, each resolved
 * in the run's own team (never another's) for the run's environment (a value scoped to the
 * environment wins over the team-wide one), decrypted with MINITOWER_SECRETS_KEY. The names (never
 * values) are recorded on the attempt (run-store's {@link AttemptSecrets}). Runs inside the lease
 * transaction ({@code MANDATORY}).
 */
@ApplicationScoped
public class LeaseSecrets {

  /** The outcome: the values to deliver (empty when the version names none), or why not. */
  public sealed interface Resolution permits Resolved, Unresolvable {}

  /** Name → value, in the Towerfile's order. */
  public record Resolved(Map<String, String> secrets) implements Resolution {
    @Override
    public String toString() {
      return "Resolved" + secrets.keySet();
    }
  }

  /** The run cannot get its secrets; {@code message} names them, never a value. */
  public record Unresolvable(String message) implements Resolution {}

  // The run's team only; per name the environment's own value first, then the team-wide one.
  private static final String VALUES =
      "SELECT DISTINCT ON (name) name, environment, key_id, nonce, ciphertext FROM team_secrets"
          + " WHERE team_id = ? AND name = ANY (?) AND (environment = ? OR environment IS NULL)"
          + " ORDER BY name, environment NULLS LAST";

  private final AgroalDataSource dataSource;
  private final Optional<SecretCipher> cipher;

  LeaseSecrets(AgroalDataSource dataSource, RunnerServiceConfig config) {
    this.dataSource = dataSource;
    try {
      this.cipher = SecretCipher.of(config.secretsKey(), config.secretsOldKeys());
    } catch (SecretCipher.SecretCipherException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  void check(@Observes StartupEvent ignored) {
    SecretKeyCheck.verify(dataSource, cipher, "runner-service");
  }

  /**
   * Resolves the secrets the grant's version names (the claim read them, so a run of a version
   * without secrets costs no query here) for its new attempt.
   */
  @Transactional(TxType.MANDATORY)
  public Resolution resolve(LeaseGrant grant) {
    List<String> names = grant.secretNames();
    if (names.isEmpty()) {
      return new Resolved(Map.of());
    }
    long runId = grant.runId();
    long attemptId = grant.attemptId();
    long teamId = grant.teamId();
    String environment = grant.environment();
    try (Connection c = dataSource.getConnection()) {
      Map<String, Sealed> sealed = new HashMap<>();
      Map<String, String> scopes = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(VALUES)) {
        ps.setLong(1, teamId);
        ps.setArray(2, c.createArrayOf("text", names.toArray()));
        ps.setString(3, environment);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sealed.put(
                rs.getString(1), new Sealed(rs.getString(3), rs.getBytes(4), rs.getBytes(5)));
            scopes.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      List<String> missing = names.stream().filter(n -> !sealed.containsKey(n)).toList();
      if (!missing.isEmpty()) {
        return new Unresolvable(
            "missing secret"
                + (missing.size() == 1 ? " " : "s ")
                + String.join(", ", missing)
                + ": the version's Towerfile names "
                + (missing.size() == 1 ? "it" : "them")
                + " but the team has no such secret for environment "
                + environment
                + " (set it with: minitower secrets set NAME)");
      }
      if (cipher.isEmpty()) {
        return new Unresolvable(
            "secrets cannot be decrypted: runner-service has no MINITOWER_SECRETS_KEY");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String name : names) {
        try {
          values.put(
              name,
              cipher.get().decrypt(sealed.get(name), new Owner(teamId, name, scopes.get(name))));
        } catch (SecretCipher.SecretCipherException e) {
          return new Unresolvable("secret " + name + " cannot be decrypted: " + e.getMessage());
        }
      }
      AttemptSecrets.recordNames(c, attemptId, names);
      return new Resolved(values);
    } catch (SQLException e) {
      throw new StoreException("resolve secrets of run " + runId, e);
    }
  }
}
