package dev.minitower.model.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path of {@link WireTime#parseOrNull} answers exactly as the general parser does. */
class WireTimeTest {

  private static Instant general(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void theCommonShapesAreReadWithoutTheGeneralParserAndAgreeWithIt() {
    for (String t :
        List.of(
            "2025-01-02T03:04:05Z",
            "2025-01-02T03:04:05.1Z",
            "2025-01-02T03:04:05.123456789Z",
            "2024-02-29T23:59:59.5+05:30",
            "1999-12-31T00:00:00-08:00",
            "2025-06-30T12:00:00-00:00",
            "0001-01-01T00:00:00+18:00")) {
      assertThat(WireTime.parseCommon(t)).as(t).isNotNull().isEqualTo(general(t));
      assertThat(WireTime.parseOrNull(t)).as(t).isEqualTo(general(t));
    }
  }

  @Test
  void everythingElseGoesToTheGeneralParserWithTheSameAnswer() {
    for (String t :
        List.of(
            "2025-02-29T00:00:00Z", // not a leap year
            "2025-04-31T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T23:59:60Z",
            "2025-01-01T00:00:00.1234567891Z", // ten fraction digits
            "2025-01-01T00:00:00.Z",
            "2025-01-01T00:00:00+19:00",
            "2025-01-01T00:00:00+01:00:30",
            "2025-01-01t00:00:00z",
            "2025-01-01T00:00Z",
            "2025-01-01 00:00:00Z",
            "2025-01-01T00:00:00",
            "+12025-01-01T00:00:00Z",
            "２０２５-01-01T00:00:00Z",
            "2025-01-01T00:00:00Zjunk",
            "not a time")) {
      assertThat(WireTime.parseOrNull(t)).as(t).isEqualTo(general(t));
    }
  }

  @Test
  void randomInstantsAndOffsetsAgree() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(-62_000_000_000L, 250_000_000_000L);
      Instant at = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
      int offsetMinutes = random.nextInt(-18 * 60, 18 * 60 + 1);
      String text =
          OffsetDateTime.ofInstant(at, java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60))
              .toString();
      assertThat(WireTime.parseOrNull(text)).as(text).isEqualTo(general(text));
    }
  }

  @Test
  void blankAndNullAreNull() {
    assertThat(WireTime.parseOrNull(null)).isNull();
    assertThat(WireTime.parseOrNull("  ")).isNull();
  }

  @Test
  void formatWritesWhatIsoInstantWritesAtSecondPrecision() {
    Random random = new Random(7);
    List<Instant> edges =
        List.of(
            Instant.EPOCH,
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("-0001-12-31T23:59:59Z"),
            Instant.parse("9999-12-31T23:59:59.999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.5Z"),
            Instant.parse("2024-02-29T12:00:00Z"));
    for (Instant at : edges) {
      assertThat(WireTime.format(at)).as(at.toString()).isEqualTo(iso(at));
    }
    for (int i = 0; i < 20_000; i++) {
      Instant at =
          Instant.ofEpochSecond(
              random.nextLong(-70_000_000_000L, 260_000_000_000L), random.nextInt(1_000_000_000));
      assertThat(WireTime.format(at)).as(at.toString()).isEqualTo(iso(at));
    }
    assertThat(WireTime.format(null)).isNull();
  }

  private static String iso(Instant at) {
    return java.time.format.DateTimeFormatter.ISO_INSTANT.format(
        at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }
}
