package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Version upload and reads: §2.14, §16, gaps 8, 9, 20, 24, 26. */
@QuarkusTest
class VersionUploadTest {
  @Inject AgroalDataSource dataSource;

  ApiFixtures.Team team;
  String app;

  @BeforeEach
  void ownTeamAndApp() {
    team = ApiFixtures.signup("upl");
    app = ApiFixtures.createApp(team, "app");
  }

  ValidatableResponse upload(String appSlug, byte[] artifact) {
    return io.restassured.RestAssured.given()
        .header("Authorization", "Bearer " + team.token())
        .multiPart("artifact", "app.tar.gz", artifact, "application/gzip")
        .post("/api/v1/apps/" + appSlug + "/versions")
        .then()
        .log()
        .ifValidationFails();
  }

  int artifactRows(String sha) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM artifacts WHERE sha256 = ?)"
                    + " + (SELECT count(*) FROM artifact_chunks WHERE artifact_sha256 = ?)")) {
      ps.setString(1, sha);
      ps.setString(2, sha);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void uploadCreatesNumberedVersionsWithTheOriginalFields() throws Exception {
    String towerfile =
        "[app]\nname = \""
            + app
            + "\"\nscript = \"./main.py\"\nimport_paths = [\"./lib\"]\n"
            + "[app.timeout]\nseconds = 30\n"
            + "[[parameters]]\nname = \"count\"\ntype = \"integer\"\ndefault = 3\n"
            + "[[parameters]]\nname = \"region\"\ndescription = \"AWS region\"\n";
    byte[] artifact =
        Archives.tarGz()
            .file("Towerfile", towerfile)
            .file("main.py", "print('hi')\n")
            .file("lib/util.py", "x = 1\n")
            .bytes();
    var v1 =
        upload(app, artifact)
            .statusCode(201)
            .body("version_no", equalTo(1))
            .body("entrypoint", equalTo("./main.py"))
            .body("timeout_seconds", equalTo(30))
            .body("params_schema.type", equalTo("object"))
            .body("params_schema.properties.count.type", equalTo("integer"))
            .body("params_schema.properties.count.default", equalTo(3))
            .body("params_schema.properties.region.description", equalTo("AWS region"))
            .body("artifact_sha256", equalTo(Archives.sha256(artifact)))
            .body("towerfile_toml", equalTo(towerfile))
            .body("import_paths", contains("./lib"))
            .extract()
            .jsonPath();
    assertThat(v1.getMap("$").keySet())
        .containsExactly(
            "version_id",
            "version_no",
            "entrypoint",
            "timeout_seconds",
            "params_schema",
            "artifact_sha256",
            "towerfile_toml",
            "import_paths",
            "created_at");
    // Same bytes again: a new version, one stored artifact.
    upload(app, artifact).statusCode(201).body("version_no", equalTo(2));
    assertThat(artifactRows(Archives.sha256(artifact))).isEqualTo(2); // 1 artifact + 1 chunk
    byte[] minimal = Archives.minimal(app);
    upload(app, minimal)
        .statusCode(201)
        .body("version_no", equalTo(3))
        .body("$", not(hasKey("timeout_seconds")))
        .body("$", not(hasKey("params_schema")))
        .body("$", not(hasKey("import_paths")));

    as(team.token())
        .get("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(200)
        .body("versions.version_no", contains(3, 2, 1));
    as(team.token())
        .get("/api/v1/apps/" + app + "/versions?limit=1&offset=1")
        .then()
        .body("versions.version_no", contains(2));
    as(team.token())
        .get("/api/v1/apps/" + app + "/versions/1")
        .then()
        .statusCode(200)
        .body("version_id", equalTo(v1.getInt("version_id")));
    as(team.token())
        .get("/api/v1/apps/" + app + "/versions/9")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("version not found"));
    as(team.token()).get("/api/v1/apps/" + app + "/versions/abc").then().statusCode(400);

    // The schema of version 1 validates run input with the original's messages.
    as(team.token())
        .body(Map.of("version_no", 1, "input", Map.of("count", "ten")))
        .post("/api/v1/apps/" + app + "/runs")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"))
        .body("error.message", equalTo("input does not match schema: $.count has invalid type"));
    as(team.token())
        .body(Map.of("version_no", 1, "input", Map.of("count", 10)))
        .post("/api/v1/apps/" + app + "/runs")
        .then()
        .statusCode(201)
        .body("version_no", equalTo(1));
  }

  @Test
  void concurrentUploadsGetConsecutiveVersionNumbers() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int i = 0; i < 4; i++) {
        byte[] artifact =
            Archives.tarGz()
                .file("Towerfile", Archives.towerfile(app, "main.py"))
                .file("main.py", "print(" + i + ")\n")
                .bytes();
        futures.add(
            pool.submit(() -> upload(app, artifact).statusCode(201).extract().path("version_no")));
      }
      var numbers = new java.util.ArrayList<Integer>();
      for (var f : futures) {
        numbers.add(f.get());
      }
      assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void uploadToAnUnknownAppIs404AndMissingPartOrWrongTypeIs400() {
    upload("no-such-app", Archives.minimal("no-such-app"))
        .statusCode(404)
        .body("error.message", equalTo("app not found"));
    io.restassured.RestAssured.given()
        .header("Authorization", "Bearer " + team.token())
        .multiPart("other", "x.tar.gz", new byte[] {1, 2, 3})
        .post("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("artifact file is required"));
    as(team.token())
        .body("{}")
        .post("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(400)
        .body("error.message", equalTo("invalid multipart form"));
  }
}
