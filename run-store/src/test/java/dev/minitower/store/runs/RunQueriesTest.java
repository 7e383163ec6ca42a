package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.store.runs.RunQueries.RunArtifact;
import dev.minitower.store.runs.RunQueries.RunRow;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The run reads answer only the caller's team and map every column they read. */
@QuarkusTest
class RunQueriesTest {
  @Inject RunQueries runs;
  @Inject DbFixtures fixtures;

  @Test
  void aRunIsFoundInItsTeamOnly() {
    DbFixtures.App app = fixtures.app(DbFixtures.uniqueEnvironment());
    DbFixtures.App other = fixtures.app(DbFixtures.uniqueEnvironment());
    long runId = fixtures.queuedRun(app, 3, 2);

    RunRow row = runs.find(app.teamId(), runId).orElseThrow();
    assertThat(row.id()).isEqualTo(runId);
    assertThat(row.appId()).isEqualTo(app.appId());
    assertThat(row.appSlug()).isEqualTo(app.appSlug());
    assertThat(row.versionNo()).isEqualTo(1);
    assertThat(row.status()).isEqualTo("queued");
    assertThat(row.priority()).isEqualTo(3);
    assertThat(row.maxRetries()).isEqualTo(2);
    assertThat(row.environment()).isEqualTo(app.env());
    assertThat(row.queuedAt()).isNotNull();
    assertThat(row.startedAt()).isNull();
    assertThat(runs.find(other.teamId(), runId)).isEmpty();
    assertThat(runs.listForApp(other.teamId(), app.appId(), 10, 0)).isEmpty();
    assertThat(runs.listForTeam(other.teamId(), null, app.appSlug(), 10, 0)).isEmpty();
    assertThat(runs.listForTeam(app.teamId(), "queued", app.appSlug(), 10, 0))
        .extracting(RunRow::id)
        .containsExactly(runId);
  }

  @Test
  void theSummaryCountsTheTeamsRunsOnly() {
    DbFixtures.App app = fixtures.app(DbFixtures.uniqueEnvironment());
    DbFixtures.App other = fixtures.app(DbFixtures.uniqueEnvironment());
    fixtures.queuedRun(app, 0, 0);
    fixtures.queuedRun(app, 0, 0);

    assertThat(runs.summary(app.teamId())).isEqualTo(new RunQueries.Summary(2, 0, 2, 0));
    assertThat(runs.summary(other.teamId())).isEqualTo(new RunQueries.Summary(0, 0, 0, 0));
  }

  @Test
  void aRunNeverLeasedHasNoAttemptsNorLogs() {
    DbFixtures.App app = fixtures.app(DbFixtures.uniqueEnvironment());
    long runId = fixtures.queuedRun(app, 0, 0);

    assertThat(runs.latestAttemptNo(runId)).isZero();
    assertThat(runs.attempts(runId)).isEmpty();
    assertThat(runs.logsAfter(runId, 0, 0, 10)).isEmpty();
  }

  @Test
  void theArtifactOfARunIsItsVersions() {
    DbFixtures.App app = fixtures.app(DbFixtures.uniqueEnvironment());
    long runId = fixtures.queuedRun(app, 0, 0);

    assertThat(runs.artifactOf(runId))
        .contains(new RunArtifact(app.artifactSha(), 0, "main.py", null, "[]", 0));
    assertThat(runs.artifactOf(Long.MAX_VALUE)).isEmpty();
  }
}
