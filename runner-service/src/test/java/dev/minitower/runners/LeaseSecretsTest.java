package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.leaseRaw;
import static dev.minitower.runners.RunnerApi.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.platform.secrets.SecretCipher;
import dev.minitower.platform.secrets.SecretCipher.Owner;
import dev.minitower.platform.secrets.SecretCipher.Sealed;
import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.testsupport.DbFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Team secrets at lease: delivered to the leasing runner, resolved in the run's team only. */
@QuarkusTest
class LeaseSecretsTest {
  @Inject DbFixtures db;
  @Inject AgroalDataSource ds;

  @ConfigProperty(name = "minitower.secrets-key")
  String key;

  private String env;
  private DbFixtures.App app;

  @BeforeEach
  void ownEnvironment() {
    env = DbFixtures.uniqueEnvironment();
    app = db.app(env);
  }

  @Test
  void aRunGetsTheSecretsItsVersionNamesAndTheAttemptRecordsTheNames() throws Exception {
    names(app, "DB_URL", "API_KEY");
    secret(app.teamId(), "DB_URL", null, "team-wide-url");
    secret(app.teamId(), "DB_URL", env, "env-url");
    secret(app.teamId(), "API_KEY", null, "key-1234");
    secret(app.teamId(), "UNNAMED", null, "not-for-this-run");
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env);

    Response r = leaseRaw(runner);

    r.then().statusCode(200);
    assertThat(r.jsonPath().getLong("run_id")).isEqualTo(run);
    Map<String, String> secrets = r.jsonPath().getMap("secrets");
    assertThat(secrets)
        .containsExactly(Map.entry("DB_URL", "env-url"), Map.entry("API_KEY", "key-1234"));
    assertThat(
            db.count(
                "SELECT count(*) FROM run_attempt_secrets s JOIN run_attempts a ON a.id ="
                    + " s.attempt_id WHERE a.run_id = ? AND s.secret_names = ARRAY['DB_URL','API_KEY']",
                run))
        .isEqualTo(1);
  }

  @Test
  void aRunWithoutSecretsGetsNoSecretsField() {
    db.queuedRun(app, 0, 0);
    Response r = leaseRaw(register(DbFixtures.uniqueSlug("runner"), env));
    r.then().statusCode(200);
    assertThat(r.jsonPath().getMap("$")).doesNotContainKey("secrets");
  }

  @Test
  void aMissingSecretFailsTheRunAtLeaseAndTheNextRunIsLeased() throws Exception {
    DbFixtures.App other = db.app(env);
    names(app, "MISSING_ONE");
    // Another team's secret of that name must not count.
    secret(other.teamId(), "MISSING_ONE", null, "other-team-value");
    long failing = db.queuedRun(app, 10, 0);
    long next = db.queuedRun(other, 0, 0);

    Response r = leaseRaw(register(DbFixtures.uniqueSlug("runner"), env));

    r.then().statusCode(200);
    assertThat(r.jsonPath().getLong("run_id")).isEqualTo(next);
    assertThat(r.asString()).doesNotContain("other-team-value");
    assertThat(db.runStatus(failing)).isEqualTo("failed");
    assertThat(
            db.count(
                "SELECT count(*) FROM run_attempts WHERE run_id = ? AND status = 'failed'"
                    + " AND error_message LIKE 'missing secret MISSING_ONE:%'",
                failing))
        .isEqualTo(1);
  }

  private void names(DbFixtures.App a, String... names) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE app_versions SET secret_names = ? WHERE id = ?")) {
      ps.setArray(1, c.createArrayOf("text", names));
      ps.setLong(2, a.versionId());
      ps.executeUpdate();
    }
  }

  private void secret(long teamId, String name, String environment, String value) throws Exception {
    SecretCipher cipher = SecretCipher.of(Optional.of(key), Optional.empty()).orElseThrow();
    Sealed s = cipher.encrypt(value, new Owner(teamId, name, environment));
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO team_secrets (team_id, name, environment, key_id, nonce, ciphertext,"
                    + " fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, teamId);
      ps.setString(2, name);
      ps.setString(3, environment);
      ps.setString(4, s.keyId());
      ps.setBytes(5, s.nonce());
      ps.setBytes(6, s.ciphertext());
      ps.setString(7, cipher.fingerprint(value));
      ps.executeUpdate();
    }
  }
}
