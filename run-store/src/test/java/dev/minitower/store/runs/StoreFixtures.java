package dev.minitower.store.runs;

import dev.minitower.store.jdbc.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.UUID;

/** Creates the rows transitions need (team, environment, app, version, runner) with plain SQL. */
@ApplicationScoped
public class StoreFixtures {
  final AgroalDataSource ds;

  StoreFixtures(AgroalDataSource ds) {
    this.ds = ds;
  }

  public record App(
      long teamId, String teamSlug, long appId, long versionId, long envId, String env) {}

  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String uniqueSlug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A team with an app, one version and an environment named {@code env}. */
  public App app(String env) throws Exception {
    try (Connection c = ds.getConnection()) {
      String team = uniqueSlug("t");
      long teamId =
          Jdbc.queryOne(
                  c,
                  "INSERT INTO teams (slug, name) VALUES (?, ?) RETURNING id",
                  rs -> rs.getLong(1),
                  team,
                  team)
              .orElseThrow();
      long envId =
          Jdbc.queryOne(
                  c,
                  "INSERT INTO environments (team_id, name, is_default) VALUES (?, ?, ?) RETURNING id",
                  rs -> rs.getLong(1),
                  teamId,
                  env,
                  "default".equals(env))
              .orElseThrow();
      long appId =
          Jdbc.queryOne(
                  c,
                  "INSERT INTO apps (team_id, slug) VALUES (?, ?) RETURNING id",
                  rs -> rs.getLong(1),
                  teamId,
                  uniqueSlug("app"))
              .orElseThrow();
      String sha = hash(UUID.randomUUID().toString());
      Jdbc.update(
          c,
          "INSERT INTO artifacts (sha256, size_bytes, chunk_count) VALUES (?, 0, 0)"
              + " ON CONFLICT DO NOTHING",
          sha);
      long versionId =
          Jdbc.queryOne(
                  c,
                  "INSERT INTO app_versions (app_id, version_no, artifact_sha256, artifact_size,"
                      + " entrypoint, towerfile_toml) VALUES (?, 1, ?, 0, 'main.py', '') RETURNING id",
                  rs -> rs.getLong(1),
                  appId,
                  sha)
              .orElseThrow();
      return new App(teamId, team, appId, versionId, envId, env);
    }
  }

  /** A platform runner (team null) or a team runner, in {@code env}. */
  public long runner(Long teamId, String env, int maxConcurrent) throws Exception {
    try (Connection c = ds.getConnection()) {
      return Jdbc.queryOne(
              c,
              "INSERT INTO runners (team_id, name, environment, token_hash, max_concurrent)"
                  + " VALUES (?, ?, ?, ?, ?) RETURNING id",
              rs -> rs.getLong(1),
              Jdbc.bigint(teamId),
              uniqueSlug("runner"),
              env,
              hash(UUID.randomUUID().toString()),
              maxConcurrent)
          .orElseThrow();
    }
  }

  public void expireLease(long runId) throws Exception {
    try (Connection c = ds.getConnection()) {
      Jdbc.update(
          c,
          "UPDATE run_attempts SET lease_expires_at = now() - interval '1 second'"
              + " WHERE run_id = ? AND status IN ('leased', 'running', 'cancelling')",
          runId);
    }
  }

  public String runStatus(long runId) throws Exception {
    try (Connection c = ds.getConnection()) {
      return Jdbc.queryOne(c, "SELECT status FROM runs WHERE id = ?", rs -> rs.getString(1), runId)
          .orElseThrow();
    }
  }

  public long count(String sql, Object... params) throws Exception {
    try (Connection c = ds.getConnection()) {
      return Jdbc.queryOne(c, sql, rs -> rs.getLong(1), params).orElseThrow();
    }
  }

  public java.util.List<Long> attemptIdsOfApp(long appId) throws Exception {
    try (Connection c = ds.getConnection()) {
      return Jdbc.query(
          c,
          "SELECT a.id FROM run_attempts a JOIN runs r ON r.id = a.run_id WHERE r.app_id = ?",
          rs -> rs.getLong(1),
          appId);
    }
  }

  public void exec(String sql, Object... params) throws Exception {
    try (Connection c = ds.getConnection()) {
      Jdbc.update(c, sql, params);
    }
  }
}
