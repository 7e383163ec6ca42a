package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The claim's update finds the rows it picked by their {@code ctid}, whatever PostgreSQL believes
 * about the size of {@code runs}.
 *
 * <p>Found by id, the plan depended on the table's statistics: on a nearly empty {@code runs} the
 * planner chose a sequential scan (or the status index), and pgjdbc's server-prepared statement
 * kept that generic plan while the table grew. Every claim then read the whole table: 1.8 ms a
 * claim after a few thousand runs in the bench (docs/performance.md, fifth round). The plan here is
 * made against an empty {@code runs} (a temporary table of the same shape shadows the real one for
 * this transaction), the statistics under which the bad plan was chosen.
 */
@QuarkusTest
class ClaimPlanTest {
  @Inject AgroalDataSource ds;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theClaimUpdatesThePickedRowsThroughATidScan(boolean start) throws Exception {
    String plan = planOnAnEmptyRunsTable(start ? RunSql.LEASE_AND_START : RunSql.LEASE);
    assertThat(plan).contains("Tid Scan on runs").contains("TID Cond: (ctid = picked.tid)");
    assertThat(plan).doesNotContain("Seq Scan on runs").doesNotContain("runs_team_id_status_idx");
  }

  /** The same for the claim the services send, behind the runner's lock in one round trip. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theClaimBehindTheRunnerLockUpdatesThroughATidScanAndPicksByTheLeaseIndex(boolean start)
      throws Exception {
    String both = start ? RunSql.LOCK_RUNNER_AND_LEASE_AND_START : RunSql.LOCK_RUNNER_AND_LEASE;
    assertThat(both).startsWith(RunSql.LOCK_RUNNER_COUNT_ACTIVE + "; ");
    String plan =
        planOnAnEmptyRunsTable(both.substring(RunSql.LOCK_RUNNER_COUNT_ACTIVE.length() + 2));
    assertThat(plan).contains("Tid Scan on runs").contains("TID Cond: (ctid = picked.tid)");
    // The pick walks the lease index (its copy on the temporary table is named after its columns).
    assertThat(plan)
        .contains("runs_environment_name_priority_queued_at_id_idx on runs r")
        .doesNotContain("Seq Scan on runs");
  }

  private String planOnAnEmptyRunsTable(String claim) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TEMP TABLE runs (LIKE public.runs INCLUDING ALL) ON COMMIT DROP");
      }
      StringBuilder out = new StringBuilder();
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + claim)) {
        int i = 0;
        ps.setString(++i, "plan-env");
        ps.setNull(++i, Types.BIGINT);
        ps.setNull(++i, Types.BIGINT);
        ps.setInt(++i, 1);
        if (ps.getParameterMetaData().getParameterCount() == 9) {
          ps.setInt(++i, 1); // max concurrent
          ps.setLong(++i, 1); // runner id (its free slots)
        }
        ps.setLong(++i, 1);
        ps.setArray(++i, c.createArrayOf("text", new String[] {"hash"}));
        ps.setLong(++i, 60_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.append(rs.getString(1)).append('\n');
          }
        }
      } finally {
        c.rollback();
      }
      return out.toString();
    }
  }
}
