package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static dev.minitower.api.ApiFixtures.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.model.run.RunInputs;
import dev.minitower.testsupport.ErrorLogs;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "every bad input gets a clean 4xx": text PostgreSQL cannot store (NUL, lone surrogates)
 * in bodies, paths and queries, broken multipart uploads, over-size run inputs and case-variant
 * duplicate keys. Each is refused with the error envelope, stores nothing and leaves no ERROR in
 * the service log.
 */
@QuarkusTest
class RefusedInputTest {
  @Inject AgroalDataSource dataSource;
  @Inject RunFixtures runs;

  ApiFixtures.Team team;
  String app;
  ErrorLogs errors;

  @BeforeEach
  void ownTeamAndApp() {
    team = ApiFixtures.signup("refused");
    app = ApiFixtures.createApp(team, "app");
    errors = ErrorLogs.capture();
  }

  @AfterEach
  void noErrorWasLogged() {
    errors.close();
    assertThat(errors.messages()).as("ERROR lines in the service log").isEmpty();
  }

  private long count(String sql, Object... args) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long runsOfApp() throws Exception {
    return count(
        "SELECT count(*) FROM runs r JOIN apps a ON a.id = r.app_id WHERE a.team_id = ?"
            + " AND a.slug = ?",
        team.id(),
        app);
  }

  private long schedulesOfApp() throws Exception {
    return count("SELECT count(*) FROM schedules WHERE team_id = ?", team.id());
  }

  private static void refused(Response r, int status, String code, String message) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.jsonPath().getString("error.code")).isEqualTo(code);
    assertThat(r.jsonPath().getString("error.message")).isEqualTo(message);
  }

  private String schedules() {
    return "/api/v1/apps/" + app + "/schedules";
  }

  @Test
  void nulInALoginSlugIs400NamingTheField() {
    refused(
        given().body("{\"slug\":\"ab\\u0000c\",\"password\":\"pw\"}").post("/api/v1/teams/login"),
        400,
        "invalid_request",
        "invalid JSON body: field 'slug' must not contain NUL characters");
  }

  @Test
  void nulInASignupNameIs400AndNoTeamIsCreated() throws Exception {
    String slug = ApiFixtures.slug("nul");
    refused(
        given()
            .body("{\"slug\":\"" + slug + "\",\"name\":\"a\\u0000\",\"password\":\"pw-12345\"}")
            .post("/api/v1/teams/signup"),
        400,
        "invalid_request",
        "invalid JSON body: field 'name' must not contain NUL characters");
    assertThat(count("SELECT count(*) FROM teams WHERE slug = ?", slug)).isZero();
  }

  @Test
  void nulInATokenNameIs400AndNoTokenIsMinted() throws Exception {
    refused(
        as(team.token()).body("{\"name\":\"ci\\u0000\"}").post("/api/v1/tokens"),
        400,
        "invalid_request",
        "malformed JSON body: field 'name' must not contain NUL characters");
    assertThat(count("SELECT count(*) FROM team_tokens WHERE team_id = ?", team.id())).isEqualTo(1);
  }

  @Test
  void nulInAScheduleNameIs400AndNoScheduleIsStored() throws Exception {
    refused(
        as(team.token()).body("{\"name\":\"n\\u0000\",\"cron\":\"0 * * * *\"}").post(schedules()),
        400,
        "invalid_request",
        "invalid JSON body: field 'name' must not contain NUL characters");
    assertThat(schedulesOfApp()).isZero();
  }

  @Test
  void nulInAQueryParameterIs400NamingIt() {
    refused(
        as(team.token()).urlEncodingEnabled(false).get("/api/v1/runs?app=x%00"),
        400,
        "invalid_request",
        "query parameter 'app' must not contain NUL characters");
  }

  @Test
  void nulInAPathSegmentIsTheUnknownObjects404() throws Exception {
    refused(
        as(team.token()).urlEncodingEnabled(false).get("/api/v1/apps/x%00"),
        404,
        "not_found",
        "app not found");
    refused(
        as(team.token())
            .urlEncodingEnabled(false)
            .body("{}")
            .post("/api/v1/apps/" + app + "%00/runs"),
        404,
        "not_found",
        "app not found");
    assertThat(runsOfApp()).isZero();
  }

  @Test
  void emptyMultipartBodyIs400AndNoVersionIsStored() throws Exception {
    refused(
        RestAssured.given()
            .header("Authorization", "Bearer " + team.token())
            .contentType("multipart/form-data; boundary=b0undary")
            .body(new byte[0])
            .post("/api/v1/apps/" + app + "/versions"),
        400,
        "invalid_request",
        "invalid multipart form");
    assertThat(versionsOfApp()).isZero();
  }

  @Test
  void multipartBodyWithAnotherBoundaryOrBrokenPartHeadersIs400AndNoVersionIsStored()
      throws Exception {
    byte[] body =
        ("--other\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"a.tar.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\nnot really gzip\r\n--other--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    refused(
        RestAssured.given()
            .header("Authorization", "Bearer " + team.token())
            .contentType("multipart/form-data; boundary=b0undary")
            .body(body)
            .post("/api/v1/apps/" + app + "/versions"),
        400,
        "invalid_request",
        "invalid multipart form");
    byte[] badHeaders =
        "--b0undary\r\nno header here\r\n\r\nx\r\n--b0undary--\r\n"
            .getBytes(StandardCharsets.UTF_8);
    refused(
        RestAssured.given()
            .header("Authorization", "Bearer " + team.token())
            .contentType("multipart/form-data; boundary=b0undary")
            .body(badHeaders)
            .post("/api/v1/apps/" + app + "/versions"),
        400,
        "invalid_request",
        "invalid multipart form");
    assertThat(versionsOfApp()).isZero();
  }

  private long versionsOfApp() throws Exception {
    return count(
        "SELECT count(*) FROM app_versions v JOIN apps a ON a.id = v.app_id"
            + " WHERE a.team_id = ? AND a.slug = ?",
        team.id(),
        app);
  }

  @Test
  void loneSurrogateInARunInputIs400AndNoRunIsStored() throws Exception {
    runs.version(team.id(), app, null);
    refused(
        as(team.token())
            .body("{\"input\":{\"name\":\"\\ud800\"}}")
            .post("/api/v1/apps/" + app + "/runs"),
        400,
        "invalid_request",
        "malformed JSON body: field 'input.name' contains an unpaired surrogate (not valid"
            + " Unicode)");
    refused(
        as(team.token())
            .body("{\"name\":\"s\",\"cron\":\"0 * * * *\",\"input\":{\"k\":\"\\udc00\"}}")
            .post(schedules()),
        400,
        "invalid_request",
        "invalid JSON body: field 'input.k' contains an unpaired surrogate (not valid Unicode)");
    assertThat(runsOfApp()).isZero();
    assertThat(schedulesOfApp()).isZero();
  }

  /** {@code {"big":"…"}}: the value padded so the whole input is {@code bytes} long as JSON. */
  private static String inputOf(int bytes) {
    return "{\"big\":\"" + "x".repeat(bytes - 10) + "\"}";
  }

  @Test
  void runInputUpToTheCapIsAcceptedAndOneByteMoreIs400() throws Exception {
    runs.version(team.id(), app, null);
    String path = "/api/v1/apps/" + app + "/runs";
    as(team.token())
        .body("{\"input\":" + inputOf(RunInputs.MAX_BYTES) + "}")
        .post(path)
        .then()
        .statusCode(201);
    refused(
        as(team.token()).body("{\"input\":" + inputOf(RunInputs.MAX_BYTES + 1) + "}").post(path),
        400,
        "invalid_request",
        "input is too large: 131073 bytes as JSON, at most 131072 (each key becomes an"
            + " environment variable of the run)");
    assertThat(runsOfApp()).isEqualTo(1);
  }

  @Test
  void hugeRunAndScheduleInputsAreRefusedAndNothingIsStored() throws Exception {
    runs.version(team.id(), app, null);
    String path = "/api/v1/apps/" + app + "/runs";
    // Under the request body cap (1 MiB in tests, 10 MiB by default): the input cap answers.
    Response run = as(team.token()).body("{\"input\":" + inputOf(1_000_000) + "}").post(path);
    refused(
        run,
        400,
        "invalid_request",
        "input is too large: 1000000 bytes as JSON, at most 131072 (each key becomes an"
            + " environment variable of the run)");
    refused(
        as(team.token())
            .body("{\"name\":\"big\",\"cron\":\"0 * * * *\",\"input\":" + inputOf(200_000) + "}")
            .post(schedules()),
        400,
        "invalid_request",
        "input is too large: 200000 bytes as JSON, at most 131072 (each key becomes an"
            + " environment variable of the run)");
    // A 5 MiB input is over the test profile's body cap: the body cap answers first.
    refused(
        as(team.token()).body("{\"input\":" + inputOf(5 * 1024 * 1024) + "}").post(path),
        413,
        "payload_too_large",
        "request body too large");
    assertThat(runsOfApp()).isZero();
    assertThat(schedulesOfApp()).isZero();
  }

  @Test
  void aCaseVariantOfAFieldIsRefusedNotASilentDuplicate() throws Exception {
    runs.version(team.id(), app, null);
    refused(
        as(team.token())
            .body("{\"priority\":1,\"PRIORITY\":2}")
            .post("/api/v1/apps/" + app + "/runs"),
        400,
        "invalid_request",
        "malformed JSON body: unknown field 'PRIORITY'");
    refused(
        as(team.token())
            .body("{\"name\":\"s\",\"cron\":\"0 * * * *\",\"Name\":\"t\"}")
            .post(schedules()),
        400,
        "invalid_request",
        "invalid JSON body: unknown field 'Name'");
    assertThat(runsOfApp()).isZero();
    assertThat(schedulesOfApp()).isZero();
  }
}
