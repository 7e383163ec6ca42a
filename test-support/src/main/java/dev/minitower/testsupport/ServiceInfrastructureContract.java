package dev.minitower.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.minitower.testdatabase.ModuleDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every MiniTower service must show against the real local stack: probes and metrics answer on
 * the management port and never on the public one, the one schema is migrated and PostgreSQL
 * answers; and the platform's HTTP hardening holds in it (security headers, CORS preflight refusal,
 * transfer encodings). A service's test class extends this and carries {@code @QuarkusTest}.
 */
public abstract class ServiceInfrastructureContract {

  @Inject AgroalDataSource dataSource;

  @TestHTTPResource(value = "/", management = true)
  URL management;

  @Test
  void healthReadyAndMetricsAnswer200OnTheManagementPort() {
    Management.given(management)
        .get("/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("ok"));
    Management.given(management).get("/ready").then().statusCode(200).body("status", equalTo("ok"));
    assertThat(Management.scrape(management)).contains("minitower_http_requests_total{");
    Management.given(management).get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void thePublicPortAnswers404ForMetricsAndProbes() {
    assertThat(management.getPort()).as("a port of its own").isNotEqualTo(RestAssured.port);
    for (String path : List.of("/metrics", "/health", "/ready", "/q/health", "/q/health/ready")) {
      given()
          .accept("application/json")
          .get(path)
          .then()
          .statusCode(404)
          .body("error.code", equalTo("not_found"));
    }
    assertThat(given().post("/metrics").then().extract().statusCode()).isEqualTo(404);
  }

  @Test
  void theSuiteHasADatabaseOfItsOwn() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database()")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(ModuleDatabase.databaseName());
      assertThat(rs.getString(1)).startsWith("minitower_test_");
    }
  }

  @Test
  void schemaIsMigratedFromTheSharedHistory() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success),"
                    + " count(*) FILTER (WHERE version = '1') FROM flyway_schema_history")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("successful migrations").isPositive();
      assertThat(rs.getInt(2)).as("failed migrations").isZero();
      assertThat(rs.getInt(3)).as("V1 applied once").isEqualTo(1);
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_name IN ('runs', 'run_attempts', 'outbox', 'runners')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(4);
    }
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    for (String path : List.of("/health", "/no/such/path")) {
      String csp =
          given()
              .get(path)
              .then()
              .header("X-Content-Type-Options", "nosniff")
              .header("Referrer-Policy", "no-referrer")
              .header("X-Frame-Options", "DENY")
              .extract()
              .header("Content-Security-Policy");
      assertThat(csp)
          .contains("frame-ancestors 'none'")
          .contains("script-src 'self'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
    }
  }

  @Test
  void corsPreflightFromAnOriginNotAllowedIs403WithoutCorsHeaders() {
    given()
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .options("/api/v1/apps")
        .then()
        .statusCode(403)
        .header("Access-Control-Allow-Origin", nullValue())
        .header("Access-Control-Allow-Methods", nullValue())
        .body("error.code", equalTo("forbidden"));
  }

  @Test
  void transferEncodingOtherThanChunkedIs501AndTheConnectionCloses() throws Exception {
    for (String encoding : List.of("gzip, chunked", "chunked, chunked", "identity")) {
      RawHttp.Answer answer =
          RawHttp.send(
              RestAssured.port,
              "POST",
              "/api/v1/apps",
              "Authorization: Bearer mtk_x\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: "
                  + encoding
                  + "\r\n",
              new ByteArrayInputStream("{\"slug\":\"te-app\"}".getBytes(StandardCharsets.UTF_8)),
              true);
      assertThat(answer.status()).as(encoding).isEqualTo(501);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(answer.body()).contains("\"code\":\"not_implemented\"");
    }
  }
}
