package dev.minitower.api;

import dev.minitower.model.hash.Sha256;
import dev.minitower.store.runs.AttemptTransitions;
import dev.minitower.store.runs.RunReaper;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import dev.minitower.store.runs.RunRecords.LeaseRef;
import dev.minitower.store.runs.RunRecords.RunResult;
import dev.minitower.store.runs.RunRecords.RunnerRef;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Runner-side steps for tests of the client API: what runner-service does over HTTP (register,
 * lease, start, logs, result) done through the same run-store transitions, plus a direct version
 * row for tests that do not exercise the upload. Each test uses its own environment so no other
 * runner in the shared database can lease its runs.
 */
@ApplicationScoped
public class RunFixtures {
  private final AgroalDataSource dataSource;
  private final AttemptTransitions transitions;
  private final RunReaper reaper;

  RunFixtures(AgroalDataSource dataSource, AttemptTransitions transitions, RunReaper reaper) {
    this.dataSource = dataSource;
    this.transitions = transitions;
    this.reaper = reaper;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static String sha256(String s) throws Exception {
    return Sha256.hex(s);
  }

  /** A version row (entrypoint main.py) with an optional params schema; returns its number. */
  public int version(long teamId, String appSlug, String paramsSchemaJson) throws Exception {
    String sha = sha256(UUID.randomUUID().toString());
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO artifacts (sha256, size_bytes, chunk_count) VALUES (?, 0, 0)")) {
        ps.setString(1, sha);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO app_versions (app_id, version_no, artifact_sha256, artifact_size,"
                  + " entrypoint, params_schema, towerfile_toml)"
                  + " SELECT a.id, COALESCE((SELECT MAX(version_no) FROM app_versions v"
                  + " WHERE v.app_id = a.id), 0) + 1, ?, 0, 'main.py', CAST(? AS jsonb), ''"
                  + " FROM apps a WHERE a.team_id = ? AND a.slug = ? RETURNING version_no")) {
        ps.setString(1, sha);
        ps.setString(2, paramsSchemaJson);
        ps.setLong(3, teamId);
        ps.setString(4, appSlug);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }
  }

  /** A team-scoped runner row, as runner-service registers one. */
  /** A platform runner (no team), serving every team. */
  public void platformRunner(String environment) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO runners (team_id, name, environment, token_hash, last_seen_at)"
                    + " VALUES (NULL, ?, ?, ?, now())")) {
      ps.setString(1, "platform-" + UUID.randomUUID().toString().substring(0, 8));
      ps.setString(2, environment);
      ps.setString(3, sha256(UUID.randomUUID().toString()));
      ps.executeUpdate();
    }
  }

  public RunnerRef runner(long teamId, String environment) throws Exception {
    String name = "runner-" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO runners (team_id, name, environment, token_hash, last_seen_at)"
                    + " VALUES (?, ?, ?, ?, now()) RETURNING id")) {
      ps.setLong(1, teamId);
      ps.setString(2, name);
      ps.setString(3, environment);
      ps.setString(4, sha256(UUID.randomUUID().toString()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new RunnerRef(rs.getLong(1), teamId, environment, 1);
      }
    }
  }

  public String runnerName(long runnerId) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT name FROM runners WHERE id = ?")) {
      ps.setLong(1, runnerId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** A granted lease and the ref the runner presents afterwards. */
  public record Lease(LeaseGrant grant, LeaseRef ref) {}

  public Lease lease(RunnerRef runner) throws Exception {
    String hash = sha256(UUID.randomUUID().toString());
    LeaseGrant grant =
        QuarkusTransaction.requiringNew()
            .call(() -> transitions.lease(runner, hash, Duration.ofSeconds(60)))
            .orElseThrow(() -> new AssertionError("nothing to lease"));
    return new Lease(grant, new LeaseRef(grant.runId(), runner.runnerId(), hash));
  }

  public void start(Lease lease) {
    QuarkusTransaction.requiringNew().call(() -> transitions.start(lease.ref()));
  }

  public void logs(Lease lease, String... streamAndLines) {
    List<AttemptTransitions.LogLine> lines =
        java.util.stream.IntStream.range(0, streamAndLines.length / 2)
            .mapToObj(
                i ->
                    new AttemptTransitions.LogLine(
                        i + 1, streamAndLines[2 * i], streamAndLines[2 * i + 1], Instant.now()))
            .toList();
    QuarkusTransaction.requiringNew().call(() -> transitions.appendLogs(lease.ref(), lines));
  }

  public void complete(Lease lease, String status, Integer exitCode, String error) {
    QuarkusTransaction.requiringNew()
        .call(() -> transitions.complete(lease.ref(), new RunResult(status, exitCode, error)));
  }

  /** The reaper's pass over this attempt, as if its lease had expired. */
  public void expire(Lease lease) {
    QuarkusTransaction.requiringNew()
        .call(
            () ->
                reaper.reap(lease.grant().attemptId(), Instant.now().plus(Duration.ofMinutes(5))));
  }
}
