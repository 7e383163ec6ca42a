package dev.minitower.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the database down, {@code /ready} and {@code /q/health/ready} agree (503) and {@code
 * /health} stays 200: liveness checks nothing external.
 */
@QuarkusTest
@TestProfile(ProbesDatabaseDownTest.DatabaseDown.class)
class ProbesDatabaseDownTest {

  /** The data source points at a local port nobody listens on. */
  public static class DatabaseDown implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "quarkus.datasource.jdbc.url",
          "jdbc:postgresql://127.0.0.1:" + port + "/minitower",
          "quarkus.flyway.migrate-at-start",
          "false",
          "quarkus.datasource.jdbc.acquisition-timeout",
          "1S");
    }
  }

  @TestHTTPResource(value = "/", management = true)
  URL management;

  private RequestSpecification onManagement() {
    return given()
        .baseUri(management.getProtocol() + "://" + management.getHost())
        .port(management.getPort());
  }

  @Test
  void readyIs503DbNotReadyWhileHealthStays200() {
    onManagement()
        .get("/ready")
        .then()
        .statusCode(503)
        .contentType("application/json")
        .body("error.code", equalTo("internal"))
        .body("error.message", equalTo("db not ready"));
    onManagement().get("/q/health/ready").then().statusCode(503);
    onManagement().get("/health").then().statusCode(200).body("status", equalTo("ok"));
  }
}
