package dev.minitower.runners.rest;

import dev.minitower.platform.error.ApiException;

/** Path id parsing as the original: signed 64-bit decimal; unparseable or 0 is 400. */
final class RunIds {
  private RunIds() {}

  static long parse(String raw) {
    try {
      long id = Long.parseLong(raw);
      if (id != 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ApiException.badRequest("invalid run ID");
  }

  static String leaseToken(String header) {
    if (header == null || header.isBlank()) {
      throw ApiException.badRequest("missing lease token");
    }
    return header.trim();
  }
}
