package dev.minitower.runners;

import static dev.minitower.runners.RunnerApi.call;
import static dev.minitower.runners.RunnerApi.lease;
import static dev.minitower.runners.RunnerApi.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.runners.RunnerApi.Lease;
import dev.minitower.runners.RunnerApi.Runner;
import dev.minitower.testsupport.DbFixtures;
import dev.minitower.testsupport.ErrorLogs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on the runner protocol: the client API's strict JSON rules apply here too (wrong types,
 * duplicate keys, trailing data, unknown fields, text PostgreSQL cannot store), runner environments
 * follow the environment name rule, and the original agent's bodies (none on lease, start and
 * heartbeat; any or no {@code Content-Type}) keep working. Every refusal is a 400 with the error
 * envelope, stores nothing and logs no ERROR.
 */
@QuarkusTest
class RunnerBadInputTest {
  @Inject DbFixtures db;

  private String env;
  private DbFixtures.App app;
  private ErrorLogs errors;

  @BeforeEach
  void ownEnvironment() {
    env = DbFixtures.uniqueEnvironment();
    app = db.app(env);
    errors = ErrorLogs.capture();
  }

  @AfterEach
  void noErrorWasLogged() {
    errors.close();
    assertThat(errors.messages()).as("ERROR lines in the service log").isEmpty();
  }

  private static Response registerRaw(String body) {
    return given()
        .header("Authorization", "Bearer " + RunnerApi.REGISTRATION_TOKEN)
        .body(body)
        .post("/api/v1/runners/register");
  }

  private static Response leased(Runner runner, Lease l, long run, String action, String body) {
    return given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", l.leaseToken())
        .body(body)
        .post("/api/v1/runs/" + run + "/" + action);
  }

  private static void refused(Response r, String message) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.jsonPath().getString("error.code")).isEqualTo("invalid_request");
    assertThat(r.jsonPath().getString("error.message")).isEqualTo(message);
  }

  private long runnersNamed(String name) {
    return db.count("SELECT count(*) FROM runners WHERE name = ?", name);
  }

  @Test
  void nulInARunnerNameIs400AndNoRunnerIsStored() {
    String name = DbFixtures.uniqueSlug("runner");
    refused(
        registerRaw("{\"name\":\"" + name + "\\u0000\",\"environment\":\"" + env + "\"}"),
        "invalid JSON body: field 'name' must not contain NUL characters");
    assertThat(db.count("SELECT count(*) FROM runners WHERE name LIKE ?", name + "%")).isZero();
  }

  @Test
  void wronglyTypedDuplicatedTrailingOrUnknownRegistrationFieldsAre400() {
    String name = DbFixtures.uniqueSlug("runner");
    refused(registerRaw("{\"name\":123}"), "invalid JSON body: field 'name' has the wrong type");
    refused(
        registerRaw("{\"name\":\"" + name + "\",\"team_id\":1}"),
        "invalid JSON body: unknown field 'team_id'");
    refused(
        registerRaw("{\"name\":\"" + name + "\",\"name\":\"other\"}"),
        "invalid JSON body: duplicate field 'name'");
    refused(
        registerRaw("{\"name\":\"" + name + "\",\"NAME\":\"other\"}"),
        "invalid JSON body: unknown field 'NAME'");
    refused(
        registerRaw("{\"name\":\"" + name + "\",\"max_concurrent\":\"2\"}"),
        "invalid JSON body: field 'max_concurrent' has the wrong type");
    Response trailing = registerRaw("{\"name\":\"" + name + "\"} {\"name\":\"x\"}");
    assertThat(trailing.statusCode()).isEqualTo(400);
    assertThat(trailing.jsonPath().getString("error.message")).startsWith("invalid JSON body: ");
    assertThat(runnersNamed(name)).isZero();
  }

  @Test
  void runnerEnvironmentFollowsTheEnvironmentNameRule() {
    String name = DbFixtures.uniqueSlug("runner");
    for (String bad : new String[] {"../../x", "Prod", "a/b", "x".repeat(64), " default"}) {
      refused(
          register(RunnerApi.REGISTRATION_TOKEN, Map.of("name", name, "environment", bad)),
          "environment must be 1-63 characters: lowercase letters, digits, '_', '.', '-',"
              + " starting with a letter or digit");
    }
    assertThat(runnersNamed(name)).isZero();
  }

  @Test
  void resultWithWrongTypesOrANulMessageIs400AndTheAttemptStaysLive() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = RunnerApi.register(DbFixtures.uniqueSlug("runner"), env);
    Lease l = lease(runner);
    refused(
        leased(runner, l, run, "result", "{\"status\":\"completed\",\"exit_code\":\"0\"}"),
        "invalid JSON body: field 'exit_code' has the wrong type");
    refused(
        leased(runner, l, run, "result", "{\"status\":\"failed\",\"exit_code\":1.5}"),
        "invalid JSON body: field 'exit_code' has the wrong type");
    refused(
        leased(runner, l, run, "result", "{\"status\":\"failed\",\"error_message\":\"a\\u0000b\"}"),
        "invalid JSON body: field 'error_message' must not contain NUL characters");
    refused(
        leased(runner, l, run, "result", "{\"status\":\"completed\",\"status\":\"failed\"}"),
        "invalid JSON body: duplicate field 'status'");
    refused(
        leased(runner, l, run, "result", "{\"status\":\"completed\",\"run_id\":1}"),
        "invalid JSON body: unknown field 'run_id'");
    assertThat(leased(runner, l, run, "result", "{\"status\":\"completed\"} x").statusCode())
        .isEqualTo(400);
    assertThat(db.runStatus(run)).isEqualTo("leased");
    assertThat(
            db.count(
                "SELECT count(*) FROM run_attempts WHERE run_id = ? AND finished_at IS NOT NULL",
                run))
        .isZero();
  }

  @Test
  void logBatchWithAStringSeqIs400AndNothingIsStored() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = RunnerApi.register(DbFixtures.uniqueSlug("runner"), env);
    Lease l = lease(runner);
    refused(
        leased(
            runner,
            l,
            run,
            "logs",
            "{\"logs\":[{\"seq\":\"1\",\"stream\":\"stdout\",\"line\":\"x\"}]}"),
        "invalid JSON body: field 'logs[0].seq' has the wrong type");
    refused(
        leased(
            runner,
            l,
            run,
            "logs",
            "{\"logs\":[{\"seq\":1,\"stream\":\"stdout\",\"line\":\"x\",\"attempt_id\":9}]}"),
        "invalid JSON body: unknown field 'attempt_id'");
    assertThat(db.count("SELECT count(*) FROM run_logs WHERE run_id = ?", run)).isZero();
  }

  @Test
  void logLinesAreDataSoNulAndBrokenSurrogatesAreStoredAsReplacementCharacters() {
    long run = db.queuedRun(app, 0, 0);
    Runner runner = RunnerApi.register(DbFixtures.uniqueSlug("runner"), env);
    Lease l = lease(runner);
    leased(
            runner,
            l,
            run,
            "logs",
            "{\"logs\":[{\"seq\":1,\"stream\":\"stdout\",\"line\":\"a\\u0000b\\ud800c\"}]}")
        .then()
        .statusCode(200);
    assertThat(db.string("SELECT line FROM run_logs WHERE run_id = ? AND seq = 1", run))
        .isEqualTo("a\uFFFDb\uFFFDc");
  }

  /**
   * What the original agent sends (docs/spec/api.md §2.23–2.30): no body on lease, start and
   * heartbeat, and JSON bodies whatever their {@code Content-Type} (or none).
   */
  @Test
  void theOriginalAgentsCallsStillWork() {
    long run = db.queuedRun(app, 0, 0);
    Response registered =
        given()
            .header("Authorization", "Bearer " + RunnerApi.REGISTRATION_TOKEN)
            .contentType("text/plain")
            .body(
                "{\"name\":\""
                    + DbFixtures.uniqueSlug("runner")
                    + "\",\"environment\":\""
                    + env
                    + "\"}")
            .post("/api/v1/runners/register");
    assertThat(registered.statusCode()).isEqualTo(201);
    Runner runner =
        new Runner(
            registered.jsonPath().getLong("runner_id"), registered.jsonPath().getString("token"));
    Lease l = lease(runner);
    call(runner, l.leaseToken(), run, "start").then().statusCode(200);
    call(runner, l.leaseToken(), run, "heartbeat").then().statusCode(200);
    leased(
            runner,
            l,
            run,
            "logs",
            "{\"logs\":[{\"seq\":1,\"stream\":\"stdout\",\"line\":\"hi\",\"logged_at\":\"2026-01-02T03:04:05Z\"}]}")
        .then()
        .statusCode(200);
    leased(
            runner,
            l,
            run,
            "result",
            "{\"status\":\"failed\",\"exit_code\":3,\"error_message\":\"exit status 3\"}")
        .then()
        .statusCode(200);
    assertThat(db.runStatus(run)).isEqualTo("failed");
  }
}
