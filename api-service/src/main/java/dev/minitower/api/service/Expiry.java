package dev.minitower.api.service;

import dev.minitower.platform.error.ApiException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Optional token lifetimes: {@code expires_in_seconds} or an absolute {@code expires_at}. */
final class Expiry {
  static final long MAX_SECONDS = 10L * 366 * 24 * 3600;

  private Expiry() {}

  static OffsetDateTime resolve(Long expiresInSeconds, String expiresAt, Clock clock) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    if (expiresInSeconds != null && expiresAt != null) {
      throw ApiException.badRequest("give either expires_in_seconds or expires_at, not both");
    }
    if (expiresInSeconds != null) {
      if (expiresInSeconds < 1 || expiresInSeconds > MAX_SECONDS) {
        throw ApiException.badRequest("expires_in_seconds must be between 1 and " + MAX_SECONDS);
      }
      return now.plusSeconds(expiresInSeconds);
    }
    if (expiresAt != null) {
      OffsetDateTime at;
      try {
        at = OffsetDateTime.parse(expiresAt).withOffsetSameInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("expires_at must be an RFC 3339 timestamp");
      }
      if (!at.isAfter(now) || at.isAfter(now.plusSeconds(MAX_SECONDS))) {
        throw ApiException.badRequest("expires_at must be in the future (at most 10 years)");
      }
      return at;
    }
    return null;
  }
}
