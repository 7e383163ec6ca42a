package dev.minitower.store.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.store.runners.RunnerQueries.RunnerView;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The runner-token check finds online runners only; a team sees its runners and the platform's. */
@QuarkusTest
class RunnerQueriesTest {
  @Inject RunnerQueries runners;
  @Inject DbFixtures fixtures;

  private record Found(long id, String name, String environment, Long teamId, int max) {}

  private long runner(Long teamId, String name, String tokenHash, String status) {
    return fixtures.id(
        "INSERT INTO runners (team_id, name, environment, token_hash, max_concurrent, status)"
            + " VALUES (?, ?, 'env-q', ?, 3, ?) RETURNING id",
        teamId,
        name,
        tokenHash,
        status);
  }

  @Test
  void aTokenFindsItsRunnerWhileItIsOnline() {
    DbFixtures.App app = fixtures.app(DbFixtures.uniqueEnvironment());
    String name = DbFixtures.uniqueSlug("runner");
    String hash = DbFixtures.sha256(UUID.randomUUID().toString());
    long id = runner(app.teamId(), name, hash, "online");

    assertThat(runners.findOnlineByTokenHash(hash, Found::new))
        .contains(new Found(id, name, "env-q", app.teamId(), 3));
    assertThat(
            runners.findOnlineByTokenHash(
                DbFixtures.sha256(UUID.randomUUID().toString()), Found::new))
        .isEmpty();
    fixtures.exec("UPDATE runners SET status = 'offline' WHERE id = ?", id);
    assertThat(runners.findOnlineByTokenHash(hash, Found::new)).isEmpty();
  }

  @Test
  void aTeamSeesItsOwnAndThePlatformsRunnersNeverAnotherTeams() {
    DbFixtures.App team = fixtures.app(DbFixtures.uniqueEnvironment());
    DbFixtures.App other = fixtures.app(DbFixtures.uniqueEnvironment());
    long own =
        runner(
            team.teamId(),
            DbFixtures.uniqueSlug("own"),
            DbFixtures.sha256(UUID.randomUUID().toString()),
            "online");
    long platform =
        runner(
            null,
            DbFixtures.uniqueSlug("platform"),
            DbFixtures.sha256(UUID.randomUUID().toString()),
            "online");
    long foreign =
        runner(
            other.teamId(),
            DbFixtures.uniqueSlug("foreign"),
            DbFixtures.sha256(UUID.randomUUID().toString()),
            "online");

    var visible = runners.visibleTo(team.teamId(), 10_000);
    assertThat(visible).extracting(RunnerView::id).contains(own, platform).doesNotContain(foreign);
    assertThat(visible)
        .filteredOn(r -> r.id() == own)
        .singleElement()
        .satisfies(r -> assertThat(r.teamScoped()).isTrue());
    assertThat(visible)
        .filteredOn(r -> r.id() == platform)
        .singleElement()
        .satisfies(r -> assertThat(r.teamScoped()).isFalse());
  }
}
