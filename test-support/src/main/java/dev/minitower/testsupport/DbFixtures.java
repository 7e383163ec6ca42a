package dev.minitower.testsupport;

import dev.minitower.model.hash.Sha256;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rows tests need (team, environment, app, version, runner), written with plain SQL so that each
 * test owns its data: unique slugs and, for leasing tests, a unique environment name.
 */
@ApplicationScoped
public class DbFixtures {
  private final AgroalDataSource ds;

  DbFixtures(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** A team with one app, one version (entrypoint {@code main.py}) and environment {@code env}. */
  public record App(
      long teamId,
      String teamSlug,
      long appId,
      String appSlug,
      long versionId,
      long envId,
      String env,
      String artifactSha) {}

  public static String sha256(String value) {
    return Sha256.hex(value);
  }

  public static String uniqueSlug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static String uniqueEnvironment() {
    return "env-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Empties the tables the scheduler's sweeps act on: runs (with their attempts, logs, secrets and
   * schedule ticks), runners, schedules and the outbox. A suite's database is its own ({@link
   * dev.minitower.testdatabase.ModuleDatabase}), so a test of a sweep over every row can start from
   * nothing; teams, apps and tokens stay.
   */
  public void clearQueue() {
    exec("TRUNCATE runs, runners, schedules, outbox CASCADE");
  }

  public App app(String env) {
    String team = uniqueSlug("t");
    long teamId = id("INSERT INTO teams (slug, name) VALUES (?, ?) RETURNING id", team, team);
    long envId =
        id(
            "INSERT INTO environments (team_id, name, is_default) VALUES (?, ?, ?) RETURNING id",
            teamId,
            env,
            "default".equals(env));
    String appSlug = uniqueSlug("app");
    long appId = id("INSERT INTO apps (team_id, slug) VALUES (?, ?) RETURNING id", teamId, appSlug);
    String sha = sha256(UUID.randomUUID().toString());
    exec(
        "INSERT INTO artifacts (sha256, size_bytes, chunk_count) VALUES (?, 0, 0)"
            + " ON CONFLICT DO NOTHING",
        sha);
    long versionId =
        id(
            "INSERT INTO app_versions (app_id, version_no, artifact_sha256, artifact_size,"
                + " entrypoint, towerfile_toml) VALUES (?, 1, ?, 0, 'main.py', '') RETURNING id",
            appId,
            sha);
    return new App(teamId, team, appId, appSlug, versionId, envId, env, sha);
  }

  /** A queued run of {@code app} inserted directly (no event); answers its id. */
  public long queuedRun(App app, int priority, int maxRetries) {
    return id(
        "INSERT INTO runs (team_id, app_id, app_version_id, environment_id, environment_name,"
            + " run_no, priority, max_retries) VALUES (?, ?, ?, ?, ?,"
            + " nextval(('app_run_no_' || ?)::regclass), ?, ?) RETURNING id",
        app.teamId(),
        app.appId(),
        app.versionId(),
        app.envId(),
        app.env(),
        app.appId(),
        priority,
        maxRetries);
  }

  /** A runner; {@code teamId} null = platform runner. */
  public long runner(Long teamId, String env, int maxConcurrent) {
    return id(
        "INSERT INTO runners (team_id, name, environment, token_hash, max_concurrent)"
            + " VALUES (?, ?, ?, ?, ?) RETURNING id",
        teamId,
        uniqueSlug("runner"),
        env,
        sha256(UUID.randomUUID().toString()),
        maxConcurrent);
  }

  public void expireLease(long runId) {
    exec(
        "UPDATE run_attempts SET lease_expires_at = now() - interval '1 second'"
            + " WHERE run_id = ? AND status IN ('leased', 'running', 'cancelling')",
        runId);
  }

  public String runStatus(long runId) {
    return string("SELECT status FROM runs WHERE id = ?", runId);
  }

  public List<Long> attemptIdsOfApp(long appId) {
    return longs(
        "SELECT a.id FROM run_attempts a JOIN runs r ON r.id = a.run_id WHERE r.app_id = ?", appId);
  }

  /** The first column of every row, as longs. */
  public List<Long> longs(String sql, Object... params) {
    List<Long> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  public long count(String sql, Object... params) {
    return id(sql, params);
  }

  public String string(String sql, Object... params) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long id(String sql, Object... params) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row: " + sql);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public int exec(String sql, Object... params) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] == null) {
        ps.setNull(i + 1, Types.BIGINT);
      } else {
        ps.setObject(i + 1, params[i]);
      }
    }
  }
}
