package dev.minitower.platform.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * platform's suite runs (and Flyway migrates) its own database, like every other test module
 * (test-database's {@code ModuleDatabase}), never the one named in {@code MINITOWER_DB_URL}.
 */
@QuarkusTest
class ModuleDatabaseTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void theSuiteRunsOnItsOwnMigratedDatabase() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_database(), to_regclass('runs') IS NOT NULL,"
                    + " (SELECT count(*) FROM flyway_schema_history WHERE NOT success)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("minitower_test_platform");
      assertThat(rs.getBoolean(2)).as("migrated").isTrue();
      assertThat(rs.getLong(3)).as("failed migrations").isZero();
    }
  }
}
