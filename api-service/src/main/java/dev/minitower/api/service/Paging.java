package dev.minitower.api.service;

import dev.minitower.platform.error.ApiException;

/**
 * {@code limit}/{@code offset} query parameters. Unlike the original (anything odd silently became
 * 50), garbage is a 400; a limit above the maximum is clamped to the maximum.
 */
public record Paging(int limit, long offset) {

  public static Paging parse(String limit, String offset, int defaultLimit, int maxLimit) {
    int l = defaultLimit;
    if (limit != null && !limit.isBlank()) {
      long parsed;
      try {
        parsed = Long.parseLong(limit.strip());
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      if (parsed < 1) {
        throw ApiException.badRequest("limit must be a positive integer");
      }
      l = (int) Math.min(parsed, maxLimit);
    }
    long o = 0;
    if (offset != null && !offset.isBlank()) {
      try {
        o = Long.parseLong(offset.strip());
      } catch (NumberFormatException e) {
        o = -1;
      }
      if (o < 0) {
        throw ApiException.badRequest("offset must be a non-negative integer");
      }
    }
    return new Paging(l, o);
  }
}
