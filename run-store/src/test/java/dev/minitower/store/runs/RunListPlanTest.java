package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.DbFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * An app's newest-first run list reads the unique index of {@code (app_id, run_no)} backwards:
 * migration V8 dropped {@code runs_app_list_idx (app_id, run_no DESC)}, which only repeated it. (On
 * the temporary copy below, the constraint's index is named after its columns.)
 */
@QuarkusTest
class RunListPlanTest {
  @Inject AgroalDataSource ds;
  @Inject DbFixtures fixtures;

  @Test
  void theAppListReadsTheRunNumberConstraintBackwards() throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // A large app's runs, in a temporary table of the same shape (its indexes too) that
        // shadows the real one for this transaction: the plan that matters is a big app's.
        s.execute("CREATE TEMP TABLE runs (LIKE public.runs INCLUDING ALL) ON COMMIT DROP");
        s.execute(
            "INSERT INTO runs (team_id, app_id, app_version_id, environment_id,"
                + " environment_name, run_no) SELECT 1, 1 + n % 4, 1, 1, 'default', n"
                + " FROM generate_series(1, 40000) n");
        s.execute("ANALYZE runs");
      }
      StringBuilder plan = new StringBuilder();
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + RunQueries.LIST_FOR_APP)) {
        ps.setLong(1, 1);
        ps.setLong(2, 1);
        ps.setInt(3, 20);
        ps.setLong(4, 0);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      } finally {
        c.rollback();
      }
      assertThat(plan.toString())
          .contains("Index Scan Backward using runs_app_id_run_no_key on runs r")
          .doesNotContain("Sort");
    }
  }

  @Test
  void theRepeatedIndexIsGone() {
    String names =
        fixtures.string(
            "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes"
                + " WHERE tablename = 'runs' AND schemaname = current_schema()");
    assertThat(names).contains("runs_app_run_no_uq").doesNotContain("app_list");
  }
}
