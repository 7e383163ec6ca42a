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

  private String planOnAnEmptyRunsTable(String claim) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TEMP TABLE runs (LIKE public.runs INCLUDING ALL) ON COMMIT DROP");
      }
      StringBuilder out = new StringBuilder();
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + claim)) {
        ps.setString(1, "plan-env");
        ps.setNull(2, Types.BIGINT);
        ps.setNull(3, Types.BIGINT);
        ps.setInt(4, 1);
        ps.setLong(5, 1);
        ps.setArray(6, c.createArrayOf("text", new String[] {"hash"}));
        ps.setLong(7, 60_000);
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
