package dev.minitower.runners;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.minitower.model.runner.RunnerProtocol;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every runner endpoint goes through the Quarkus Security mechanism and refuses a missing,
 * malformed, foreign or unknown token with the original's answer: 401, the JSON envelope {@code
 * unauthorized} "invalid or missing token", and no {@code WWW-Authenticate} challenge.
 */
@QuarkusTest
class RunnerAuthTest {

  private record Call(String method, String path) {}

  private static final List<Call> CALLS =
      List.of(
          new Call("POST", RunnerProtocol.LEASE),
          new Call("POST", RunnerProtocol.BATCH_LEASE),
          new Call("POST", RunnerProtocol.BATCH_HEARTBEAT),
          new Call("POST", RunnerProtocol.CANCELS),
          new Call("POST", "/api/v1/runs/1/start"),
          new Call("POST", "/api/v1/runs/1/heartbeat"),
          new Call("POST", "/api/v1/runs/1/logs"),
          new Call("POST", "/api/v1/runs/1/result"),
          new Call("GET", "/api/v1/runs/1/artifact"));

  private static final List<String> BAD_AUTHORIZATION =
      List.of(
          "",
          "Bearer",
          "Basic dXNlcjpwdw==",
          "Bearer mtk_a_team_token",
          "Bearer mtr_" + "0".repeat(40));

  @Test
  void everyRunnerEndpointAnswersTheSame401() {
    for (Call call : CALLS) {
      expect401(given(), call);
      for (String authorization : BAD_AUTHORIZATION) {
        expect401(given().header("Authorization", authorization), call);
      }
    }
  }

  private static void expect401(RequestSpecification request, Call call) {
    request
        .contentType("application/json")
        .body("{}")
        .request(call.method(), call.path())
        .then()
        .statusCode(401)
        .contentType("application/json")
        .header("WWW-Authenticate", nullValue())
        .body("error.code", equalTo("unauthorized"))
        .body("error.message", equalTo("invalid or missing token"));
  }
}
