package dev.minitower.runners;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Chunked bodies on runner-service: over the request cap (which equals the server's own limit here)
 * and without credentials over the anonymous cap, each answered 413 with the envelope while the
 * body is still streaming, with nothing stored and no ERROR logged.
 */
@QuarkusTest
class RunnerHttpHardeningTest {
  private static final long MiB = 1 << 20;

  @Inject AgroalDataSource dataSource;

  private static InputStream registration(String name, long padding) {
    return new SequenceInputStream(
        new SequenceInputStream(
            new ByteArrayInputStream(
                ("{\"name\":\"" + name + "\",\"environment\":\"default\",\"labels\":\"")
                    .getBytes(StandardCharsets.UTF_8)),
            RawHttp.repeat((byte) 'a', padding)),
        new ByteArrayInputStream("\"}".getBytes(StandardCharsets.UTF_8)));
  }

  private long runnersNamed(String name) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM runners WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void assertEnveloped413(RawHttp.Answer answer, long total) {
    assertThat(answer.status()).as(answer.head()).isEqualTo(413);
    assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(answer.body()).contains("\"code\":\"payload_too_large\"");
    assertThat(answer.bytesSent()).isLessThan(Math.min(total, 32 * MiB));
  }

  @Test
  void chunkedBodyOverTheRequestCapIs413WithTheEnvelopeAndNothingIsStored() throws Exception {
    String name = "chunky-" + UUID.randomUUID();
    long total = 64 * MiB;
    try (LogCapture log = LogCapture.start()) {
      RawHttp.Answer answer =
          RawHttp.chunked(
              RestAssured.port,
              "POST",
              "/api/v1/runners/register",
              "Authorization: Bearer " + RunnerApi.REGISTRATION_TOKEN + "\r\n",
              registration(name, total));
      assertEnveloped413(answer, total);
      assertThat(log.atLeast(Level.SEVERE)).as(log.describe()).isEmpty();
      assertThat(log.withStackTraces()).as(log.describe()).isEmpty();
    }
    assertThat(runnersNamed(name)).isZero();
  }

  @Test
  void anonymousChunkedBodyOverTheAnonymousCapIs413() throws Exception {
    String name = "anon-" + UUID.randomUUID();
    long total = 32 * MiB;
    RawHttp.Answer answer =
        RawHttp.chunked(
            RestAssured.port, "POST", "/api/v1/runners/register", "", registration(name, total));
    assertEnveloped413(answer, total);
    assertThat(answer.bytesSent()).isLessThan(total / 2);
    assertThat(runnersNamed(name)).isZero();
  }

  @Test
  void chunkedRegistrationWithinTheCapWorks() throws Exception {
    String name = "small-" + UUID.randomUUID();
    RawHttp.Answer answer =
        RawHttp.chunked(
            RestAssured.port,
            "POST",
            "/api/v1/runners/register",
            "Authorization: Bearer " + RunnerApi.REGISTRATION_TOKEN + "\r\n",
            new ByteArrayInputStream(
                ("{\"name\":\"" + name + "\",\"environment\":\"default\"}")
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    assertThat(runnersNamed(name)).isEqualTo(1);
  }
}
