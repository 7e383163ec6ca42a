package dev.minitower.model.wire;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Timestamps on the wire: RFC 3339 in UTC with second precision, as the original emits them. */
public final class WireTime {
  private WireTime() {}

  /** {@code 2025-01-02T03:04:05Z}; null stays null. */
  public static String format(Instant instant) {
    return instant == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Parses an RFC 3339 timestamp; null or unparseable gives null. */
  public static Instant parseOrNull(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
