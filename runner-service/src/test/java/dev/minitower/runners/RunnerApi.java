package dev.minitower.runners;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/** The runner protocol as a test client (RestAssured against the service under test). */
final class RunnerApi {
  static final String REGISTRATION_TOKEN = "test-runner-reg";

  private RunnerApi() {}

  record Runner(long id, String token) {}

  record Lease(long runId, int attemptNo, String leaseToken, Map<String, Object> body) {}

  static Response register(String bearer, Map<String, Object> body) {
    return given()
        .header("Authorization", "Bearer " + bearer)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/runners/register");
  }

  static Runner register(String name, String environment) {
    Response r = register(REGISTRATION_TOKEN, Map.of("name", name, "environment", environment));
    r.then().statusCode(201);
    return new Runner(r.jsonPath().getLong("runner_id"), r.jsonPath().getString("token"));
  }

  static Runner register(String name, String environment, int maxConcurrent) {
    Response r =
        register(
            REGISTRATION_TOKEN,
            Map.of("name", name, "environment", environment, "max_concurrent", maxConcurrent));
    r.then().statusCode(201);
    return new Runner(r.jsonPath().getLong("runner_id"), r.jsonPath().getString("token"));
  }

  static Response leaseRaw(Runner runner) {
    return given().header("Authorization", "Bearer " + runner.token()).post("/api/v1/runs/lease");
  }

  static Lease lease(Runner runner) {
    Response r = leaseRaw(runner);
    r.then().statusCode(200);
    return new Lease(
        r.jsonPath().getLong("run_id"),
        r.jsonPath().getInt("attempt_no"),
        r.jsonPath().getString("lease_token"),
        r.jsonPath().getMap(""));
  }

  static Response call(Runner runner, String leaseToken, long runId, String action) {
    return given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", leaseToken)
        .post("/api/v1/runs/" + runId + "/" + action);
  }

  static Response result(
      Runner runner, String leaseToken, long runId, String status, Integer exit) {
    Map<String, Object> body =
        exit == null ? Map.of("status", status) : Map.of("status", status, "exit_code", exit);
    return given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", leaseToken)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/runs/" + runId + "/result");
  }

  static Response logs(
      Runner runner, String leaseToken, long runId, List<Map<String, Object>> lines) {
    return given()
        .header("Authorization", "Bearer " + runner.token())
        .header("X-Lease-Token", leaseToken)
        .contentType(ContentType.JSON)
        .body(Map.of("logs", lines))
        .post("/api/v1/runs/" + runId + "/logs");
  }

  static Map<String, Object> line(long seq, String stream, String text) {
    return Map.of("seq", seq, "stream", stream, "line", text, "logged_at", "2026-01-02T03:04:05Z");
  }
}
