package dev.minitower.platform.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HttpMetricsTest {

  @TestHTTPResource(value = "/", management = true)
  URL management;

  private RequestSpecification onManagement() {
    return given()
        .baseUri(management.getProtocol() + "://" + management.getHost())
        .port(management.getPort());
  }

  @Test
  void twoRunIdsShareOneRouteTemplateLabel() {
    given().get("/api/v1/runs/101").then().statusCode(200).body("run_id", equalTo(101));
    given().get("/api/v1/runs/202").then().statusCode(200);

    List<String> runSeries = requestSeries().filter(l -> l.contains("/api/v1/runs/")).toList();
    assertThat(runSeries).isNotEmpty();
    assertThat(runSeries).allMatch(l -> l.contains("path=\"/api/v1/runs/{run}\""));
    assertThat(runSeries).noneMatch(l -> l.contains("101") || l.contains("202"));
  }

  @Test
  void unknownPathsFoldIntoOneLabelAndAnswerJson() {
    given().get("/wp-login.php").then().statusCode(404).body("error.code", equalTo("not_found"));
    given().get("/some/random/" + System.nanoTime()).then().statusCode(404);

    assertThat(requestSeries().filter(l -> l.contains("wp-login") || l.contains("/some/random")))
        .isEmpty();
    assertThat(requestSeries().filter(l -> l.contains("path=\"unmatched\"") && l.contains("404")))
        .isNotEmpty();
  }

  @Test
  void allFourHttpFamiliesAreExported() {
    onManagement().get("/health").then().statusCode(200);
    String metrics = onManagement().get("/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("minitower_http_requests_total{")
        .contains("minitower_http_request_duration_seconds_bucket{")
        .contains("minitower_http_response_size_bytes_bucket{")
        .contains("le=\"0.005\"");
  }

  @Test
  void probeAndScrapeRequestsCountUnderTheirOwnPathOnlyOnTheManagementPort() {
    onManagement().get("/ready").then().statusCode(200);
    given().get("/ready").then().statusCode(404);
    assertThat(requestSeries())
        .anyMatch(
            l ->
                l.contains("method=\"GET\"")
                    && l.contains("path=\"/ready\"")
                    && l.contains("status=\"200\""))
        .noneMatch(l -> l.contains("path=\"/ready\"") && l.contains("status=\"404\""));
  }

  @Test
  void requestIdIsEchoedOrGenerated() {
    given()
        .header("X-Request-Id", "abc-123")
        .get("/api/v1/runs/7")
        .then()
        .header("X-Request-Id", equalTo("abc-123"));
    onManagement().get("/health").then().header("X-Request-Id", notNullValue());
    given()
        .header("X-Request-Id", "bad id with spaces")
        .get("/api/v1/runs/7")
        .then()
        .header("X-Request-Id", org.hamcrest.Matchers.not(equalTo("bad id with spaces")));
  }

  private Stream<String> requestSeries() {
    String metrics = onManagement().get("/metrics").then().statusCode(200).extract().asString();
    return metrics.lines().filter(l -> l.startsWith("minitower_http_requests_total{"));
  }
}
