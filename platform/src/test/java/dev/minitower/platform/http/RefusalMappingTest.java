package dev.minitower.platform.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.model.error.Refusal;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store's refusal answers with the status, content type and body the {@link
 * dev.minitower.platform.error.ApiException} of the same meaning answered, byte for byte.
 */
@QuarkusTest
class RefusalMappingTest {

  @ParameterizedTest
  @EnumSource(Refusal.Reason.class)
  void eachRefusalAnswersExactlyAsTheApiExceptionItReplaced(Refusal.Reason reason) {
    Response refusal = given().get("/probe/refusal/" + reason);
    Response api = given().get("/probe/api-refusal/" + reason);

    assertThat(refusal.statusCode()).isEqualTo(api.statusCode()).isEqualTo(expectedStatus(reason));
    assertThat(refusal.contentType()).isEqualTo(api.contentType()).startsWith("application/json");
    assertThat(refusal.asString())
        .isEqualTo(api.asString())
        .isEqualTo(
            "{\"error\":{\"code\":\""
                + expectedCode(reason)
                + "\",\"message\":\""
                + ProbeRefusalsResource.message(reason.name())
                + "\"}}");
  }

  private static int expectedStatus(Refusal.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case GONE -> 410;
      case UNAUTHORIZED -> 401;
    };
  }

  private static String expectedCode(Refusal.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> "not_found";
      case CONFLICT -> "conflict";
      case GONE -> "gone";
      case UNAUTHORIZED -> "unauthorized";
    };
  }
}
