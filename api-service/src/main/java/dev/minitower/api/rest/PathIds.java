package dev.minitower.api.rest;

import dev.minitower.platform.error.ApiException;

/** Path ids parsed like the original: signed 64-bit decimal; unparseable or 0 is a 400. */
public final class PathIds {
  private PathIds() {}

  public static long parse(String raw, String message) {
    try {
      long id = Long.parseLong(raw);
      if (id != 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through to the 400
    }
    throw ApiException.badRequest(message);
  }
}
