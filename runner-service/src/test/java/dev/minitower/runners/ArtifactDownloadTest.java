package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.lease;
import static dev.minitower.runners.RunnerApi.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.model.hash.Sha256;
import dev.minitower.runners.RunnerApi.Lease;
import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.store.artifacts.ArtifactStore;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The artifact is streamed from the content-addressed store with the original's headers. */
@QuarkusTest
class ArtifactDownloadTest {
  @Inject DbFixtures db;
  @Inject ArtifactStore store;

  @Test
  void leaseHolderDownloadsTheArtifactWithShaEntrypointTimeoutAndImportPaths() throws Exception {
    byte[] bytes = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(bytes);
    String sha = Sha256.hex(bytes);
    Path file = Files.createTempFile("artifact", ".tar.gz");
    Files.write(file, bytes);
    QuarkusTransaction.requiringNew().run(() -> store.put(file, sha, bytes.length));

    String env = DbFixtures.uniqueEnvironment();
    DbFixtures.App app = db.app(env);
    db.exec(
        "UPDATE app_versions SET artifact_sha256 = ?, artifact_size = ?, timeout_seconds = 30,"
            + " import_paths = '[\"./lib\", \"./vendor\"]'::jsonb, entrypoint = 'main.py' WHERE id = ?",
        sha,
        (long) bytes.length,
        app.versionId());
    long run = db.queuedRun(app, 0, 0);
    Runner runner = register(DbFixtures.uniqueSlug("runner"), env);
    Lease l = lease(runner);
    assertThat(l.body()).containsEntry("artifact_sha256", sha).containsEntry("timeout_seconds", 30);

    byte[] downloaded =
        given()
            .header("Authorization", "Bearer " + runner.token())
            .header("X-Lease-Token", l.leaseToken())
            .get("/api/v1/runs/" + run + "/artifact")
            .then()
            .statusCode(200)
            .contentType("application/gzip")
            .header("X-Artifact-SHA256", equalTo(sha))
            .header("X-Entrypoint", equalTo("main.py"))
            .header("X-Timeout-Seconds", equalTo("30"))
            .header("X-Import-Paths", equalTo("[\"./lib\",\"./vendor\"]"))
            .extract()
            .asByteArray();
    assertThat(downloaded).isEqualTo(bytes);
  }
}
