package dev.minitower.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProbesTest {

  @Test
  void healthAnswersOkWithoutTouchingAnything() {
    given().get("/health").then().statusCode(200).body("status", equalTo("ok"));
  }

  @Test
  void readyAnswersOkWhenTheDatabaseAnswers() {
    given().get("/ready").then().statusCode(200).body("status", equalTo("ok"));
  }

  @Test
  void quarkusProbesExistBesideTheOriginalOnes() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void wrongMethodAnswersJsonEnvelope() {
    given()
        .post("/health")
        .then()
        .statusCode(405)
        .body("error.code", equalTo("method_not_allowed"));
  }
}
