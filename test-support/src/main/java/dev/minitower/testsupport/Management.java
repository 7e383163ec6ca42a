package dev.minitower.testsupport;

import io.restassured.specification.RequestSpecification;
import java.net.URL;

/**
 * Requests to the management port of the service under test, where {@code /metrics}, {@code
 * /health}, {@code /ready} and {@code /q/health/*} live (a free port in tests). A test class
 * declares
 *
 * <pre>{@code
 * @TestHTTPResource(value = "/", management = true)
 * URL management;
 * }</pre>
 *
 * and calls {@code Management.given(management)}: the injected URL carries the management root path
 * ({@code /q/}), the probes and metrics are at the server's root.
 */
public final class Management {
  private Management() {}

  public static RequestSpecification given(URL management) {
    return io.restassured.RestAssured.given()
        .baseUri(management.getProtocol() + "://" + management.getHost())
        .port(management.getPort());
  }

  /** The Prometheus text of the service under test. */
  public static String scrape(URL management) {
    return given(management).get("/metrics").then().statusCode(200).extract().asString();
  }
}
