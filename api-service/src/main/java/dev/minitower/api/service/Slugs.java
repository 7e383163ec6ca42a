package dev.minitower.api.service;

import dev.minitower.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/** The original's slug rules for team and app slugs, checked in its order with its messages. */
public final class Slugs {
  private static final Pattern FORMAT = Pattern.compile("^[a-z][a-z0-9-]{2,31}$");
  private static final Set<String> RESERVED =
      Set.of("api", "admin", "system", "internal", "default");

  private Slugs() {}

  /** The rule text for the first rule {@code slug} breaks, or null when it is valid. */
  public static String violation(String slug) {
    if (slug == null || slug.isEmpty()) {
      return "slug cannot be empty";
    }
    int bytes = slug.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 3) {
      return "slug must be at least 3 characters";
    }
    if (bytes > 32) {
      return "slug must be at most 32 characters";
    }
    if (!FORMAT.matcher(slug).matches()) {
      return "slug must start with a letter and contain only lowercase letters, numbers, and"
          + " hyphens";
    }
    if (RESERVED.contains(slug)) {
      return "slug is reserved";
    }
    return null;
  }

  /** 400 {@code invalid_slug} with the rule text. */
  public static void require(String slug) {
    String v = violation(slug);
    if (v != null) {
      throw new ApiException(400, "invalid_slug", v);
    }
  }
}
