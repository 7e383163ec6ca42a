package dev.minitower.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.system.faults.Sys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Row counts of every table a request could write, to prove a refused request stored nothing. */
record Snapshot(Map<String, Long> counts) {
  static final List<String> TABLES =
      List.of(
          "teams",
          "team_tokens",
          "environments",
          "apps",
          "artifacts",
          "artifact_chunks",
          "app_versions",
          "schedules",
          "runs",
          "run_attempts",
          "run_logs",
          "runners",
          "runner_registration_tokens",
          "outbox");

  static Snapshot of(String jdbcUrl) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String t : TABLES) {
      m.put(t, Sys.scalar(jdbcUrl, "SELECT count(*) FROM " + t));
    }
    // Changes that keep counts: statuses and results of runs and attempts.
    m.put(
        "runs.state",
        Sys.scalar(
            jdbcUrl,
            "SELECT coalesce(sum(hashtext(id || status || retry_count || cancel_requested"
                + " || coalesce(finished_at::text, ''))), 0) FROM runs"));
    m.put(
        "attempts.state",
        Sys.scalar(
            jdbcUrl,
            "SELECT coalesce(sum(hashtext(id || status || lease_expires_at::text)), 0)"
                + " FROM run_attempts"));
    m.put(
        "tokens.state",
        Sys.scalar(
            jdbcUrl,
            "SELECT coalesce(sum(hashtext(id || coalesce(revoked_at::text, ''))), 0)"
                + " FROM team_tokens"));
    return new Snapshot(m);
  }

  void assertUnchanged(String jdbcUrl, String what) {
    assertThat(of(jdbcUrl).counts()).as("stored state after " + what).isEqualTo(counts);
  }
}
