package dev.minitower.api;

import static dev.minitower.api.ApiFixtures.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.minitower.testsupport.LogCapture;
import dev.minitower.testsupport.RawHttp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's HTTP rows on api-service, over a raw socket where a polite client would not go:
 * chunked bodies over the JSON cap and over the anonymous cap (413 with the envelope, the read
 * stopped, nothing stored, no ERROR logged), transfer encodings other than chunked, and the web
 * UI's security headers.
 */
@QuarkusTest
class HttpHardeningTest {
  private static final long MiB = 1 << 20;

  @Inject AgroalDataSource dataSource;

  /** A JSON object whose one string field is {@code size} bytes of 'a', generated lazily. */
  private static InputStream hugeJson(String before, long size) {
    return new SequenceInputStream(
        new SequenceInputStream(
            new ByteArrayInputStream(before.getBytes(StandardCharsets.UTF_8)),
            RawHttp.repeat((byte) 'a', size)),
        new ByteArrayInputStream("\"}".getBytes(StandardCharsets.UTF_8)));
  }

  private long count(String sql, Object param) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void assertEnveloped413(RawHttp.Answer answer, long total) {
    assertThat(answer.status()).as(answer.head()).isEqualTo(413);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(answer.body())
        .contains("\"code\":\"payload_too_large\"")
        .contains("\"message\":\"request body too large\"");
    // The server stopped reading at the cap: what the client got out is the cap plus what the
    // socket buffers held, never the whole body.
    assertThat(answer.bytesSent()).isLessThan(Math.min(total, 24 * MiB));
  }

  @Test
  void chunkedJsonBodyOverTheRequestCapIs413AtTheCapAndNothingIsStored() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("chunk");
    long total = 64 * MiB;
    try (LogCapture log = LogCapture.start()) {
      RawHttp.Answer answer =
          RawHttp.chunked(
              RestAssured.port,
              "POST",
              "/api/v1/apps",
              "Authorization: Bearer " + team.token() + "\r\nContent-Type: application/json\r\n",
              hugeJson("{\"slug\":\"big-chunked\",\"description\":\"", total));
      assertEnveloped413(answer, total);
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
      assertThat(log.withStackTraces()).as(log.describe()).isEmpty();
    }
    assertThat(count("SELECT count(*) FROM apps WHERE team_id = ?", team.id())).isZero();
  }

  @Test
  void chunkedJsonBodyWithinTheCapIsReadAsUsual() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("chunk");
    String slug = ApiFixtures.slug("small");
    RawHttp.Answer answer =
        RawHttp.chunked(
            RestAssured.port,
            "POST",
            "/api/v1/apps",
            "Authorization: Bearer " + team.token() + "\r\nContent-Type: application/json\r\n",
            // Past the REST layer's 10 KiB in-memory buffer, so the body is streamed and counted.
            new ByteArrayInputStream(
                ("{\"slug\":\"" + slug + "\"" + " ".repeat(200_000) + "}")
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(201);
    assertThat(count("SELECT count(*) FROM apps WHERE team_id = ?", team.id())).isEqualTo(1);
  }

  @Test
  void chunkedUploadOverTheArtifactCapIs413AndNothingIsStored() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("chunk-up");
    String app = ApiFixtures.createApp(team, "app");
    String boundary = "b0undary";
    long total = 64 * MiB;
    InputStream body =
        new SequenceInputStream(
            new SequenceInputStream(
                new ByteArrayInputStream(
                    ("--"
                            + boundary
                            + "\r\nContent-Disposition: form-data; name=\"artifact\";"
                            + " filename=\"a.tar.gz\"\r\nContent-Type: application/gzip\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8)),
                RawHttp.repeat((byte) 0, total)),
            new ByteArrayInputStream(
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
    Set<Path> spooledBefore = spooled();
    try (LogCapture log = LogCapture.start()) {
      RawHttp.Answer answer =
          RawHttp.chunked(
              RestAssured.port,
              "POST",
              "/api/v1/apps/" + app + "/versions",
              "Authorization: Bearer "
                  + team.token()
                  + "\r\nContent-Type: multipart/form-data; boundary="
                  + boundary
                  + "\r\n",
              body);
      assertEnveloped413(answer, total);
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
    }
    assertThat(
            count(
                "SELECT count(*) FROM app_versions v JOIN apps a ON a.id = v.app_id"
                    + " WHERE a.team_id = ?",
                team.id()))
        .isZero();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(spooled()).isSubsetOf(spooledBefore));
  }

  /** The files multipart parts are spooled to. */
  private static Set<Path> spooled() throws Exception {
    Path dir =
        Path.of(
            ConfigProvider.getConfig()
                .getValue("quarkus.http.body.uploads-directory", String.class));
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.collect(Collectors.toSet());
    }
  }

  @Test
  void anonymousChunkedLoginAndSignupOverTheAnonymousCapAre413AndNothingIsStored()
      throws Exception {
    long total = 60 * MiB;
    for (String path : List.of("/api/v1/teams/login", "/api/v1/teams/signup")) {
      String slug = ApiFixtures.slug("anon");
      try (LogCapture log = LogCapture.start()) {
        RawHttp.Answer answer =
            RawHttp.chunked(
                RestAssured.port,
                "POST",
                path,
                "Content-Type: application/json\r\n",
                hugeJson("{\"slug\":\"" + slug + "\",\"name\":\"n\",\"password\":\"", total));
        assertEnveloped413(answer, total);
        assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
      }
      assertThat(count("SELECT count(*) FROM teams WHERE slug = ?", slug)).isZero();
    }
  }

  @Test
  void anonymousBodiesDeclaredOverTheAnonymousCapAre413BeforeBeingRead() {
    byte[] body =
        ("{\"slug\":\"x\",\"password\":\"" + "p".repeat(70_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    given()
        .contentType("application/json")
        .body(body)
        .post("/api/v1/teams/login")
        .then()
        .statusCode(413)
        .body("error.code", equalTo("payload_too_large"));
  }

  @Test
  void anonymousChunkedSignupWithinTheCapWorks() throws Exception {
    String slug = ApiFixtures.slug("anon-ok");
    RawHttp.Answer answer =
        RawHttp.chunked(
            RestAssured.port,
            "POST",
            "/api/v1/teams/signup",
            "Content-Type: application/json\r\n",
            new ByteArrayInputStream(
                ("{\"slug\":\"" + slug + "\",\"name\":\"n\",\"password\":\"pw-chunked\"}")
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
  }

  @Test
  void gzipChunkedTransferEncodingIs501AndNoAppIsCreated() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("te");
    RawHttp.Answer answer =
        RawHttp.send(
            RestAssured.port,
            "POST",
            "/api/v1/apps",
            "Authorization: Bearer "
                + team.token()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n",
            new ByteArrayInputStream("{\"slug\":\"te-app\"}".getBytes(StandardCharsets.UTF_8)),
            true);
    assertThat(answer.status()).isEqualTo(501);
    assertThat(answer.body()).contains("\"code\":\"not_implemented\"");
    as(team.token()).get("/api/v1/apps").then().statusCode(200).body("apps.size()", equalTo(0));
  }

  @Test
  void theWebUiPathAnswersWithSecurityHeaders() {
    // Quinoa does not serve the UI in module tests; the headers come from the platform's first
    // route, the same for index.html, its assets and every API answer.
    var response = given().accept("text/html").get("/");
    assertThat(response.header("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
  }
}
