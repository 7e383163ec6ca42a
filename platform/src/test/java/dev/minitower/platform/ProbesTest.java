package dev.minitower.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.platform.health.DatabaseReadiness;
import dev.minitower.platform.health.ProcessLiveness;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The probes and Prometheus live on the management port only (docs/deploy.md). */
@QuarkusTest
class ProbesTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  private RequestSpecification onManagement() {
    return given()
        .baseUri(management.getProtocol() + "://" + management.getHost())
        .port(management.getPort());
  }

  @Test
  void healthAnswersOkWithoutTouchingAnything() {
    onManagement().get("/health").then().statusCode(200).body("status", equalTo("ok"));
  }

  @Test
  void readyAnswersOkWhenTheDatabaseAnswers() {
    onManagement().get("/ready").then().statusCode(200).body("status", equalTo("ok"));
  }

  @Test
  void quarkusProbesRunTheSameChecksAsTheOriginalOnes() {
    onManagement()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("checks.name", contains(ProcessLiveness.NAME));
    onManagement()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", contains(DatabaseReadiness.NAME));
  }

  @Test
  void metricsAreServedOnTheManagementPort() {
    onManagement()
        .get("/metrics")
        .then()
        .statusCode(200)
        .body(containsString("minitower_http_requests_total{"));
  }

  @Test
  void wrongMethodAnswersJsonEnvelope() {
    onManagement()
        .post("/health")
        .then()
        .statusCode(405)
        .body("error.code", equalTo("method_not_allowed"));
    onManagement().post("/ready").then().statusCode(405);
  }

  @Test
  void thePublicPortServesNoProbeAndNoMetrics() {
    for (String path :
        new String[] {"/metrics", "/health", "/ready", "/q/health", "/q/health/ready"}) {
      given().get(path).then().statusCode(404).body("error.code", equalTo("not_found"));
    }
  }

  @Test
  void unknownManagementPathsAnswerTheJsonEnvelope() {
    onManagement().get("/nope").then().statusCode(404).body("error.code", equalTo("not_found"));
  }
}
