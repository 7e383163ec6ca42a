package dev.minitower.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.service.RunService;
import dev.minitower.api.store.TeamStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: Hibernate keeps an update of a loaded entity in its session until a flush, and
 * run-store is plain JDBC on the transaction's connection. Run creation flushes before it calls
 * run-store, so JDBC in the same transaction sees what the transaction wrote through a repository.
 * Without {@code CrudSession.flushBeforeRunStore()} in {@code RunService.create} this test fails:
 * the team's row still has its old password hash when run-store runs.
 */
@QuarkusTest
class CrudFlushTest {
  @Inject RunService runs;
  @Inject TeamStore teams;
  @Inject RunFixtures fixtures;
  @Inject AgroalDataSource dataSource;

  @Test
  void runCreationFlushesPendingEntityChangesBeforeRunStoreRuns() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("flush");
    String app = ApiFixtures.createApp(team, "app");
    fixtures.version(team.id(), app, null);
    Caller caller = new Caller(team.id(), team.slug(), 0, Caller.ADMIN);

    String seenOverJdbc =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  teams.setPasswordHash(team.id(), "changed-in-this-transaction");
                  RunService.Created created = runs.create(caller, app, new byte[0], null);
                  assertThat(created.replayed()).isFalse();
                  return passwordHashOverJdbc(team.id());
                });

    assertThat(seenOverJdbc).isEqualTo("changed-in-this-transaction");
  }

  private String passwordHashOverJdbc(long teamId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM teams WHERE id = ?")) {
      ps.setLong(1, teamId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
