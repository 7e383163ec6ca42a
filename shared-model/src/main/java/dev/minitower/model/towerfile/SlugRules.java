package dev.minitower.model.towerfile;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Slug rules for team slugs, app slugs and the Towerfile's {@code app.name} (docs/spec/api.md
 * §0.6).
 */
public final class SlugRules {

  private static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{2,31}$");
  private static final Set<String> RESERVED =
      Set.of("api", "admin", "system", "internal", "default");

  private SlugRules() {}

  /** The first broken rule's message, checked in the documented order, or empty when valid. */
  public static Optional<String> violation(String slug) {
    if (slug == null || slug.isEmpty()) {
      return Optional.of("slug cannot be empty");
    }
    int bytes = slug.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 3) {
      return Optional.of("slug must be at least 3 characters");
    }
    if (bytes > 32) {
      return Optional.of("slug must be at most 32 characters");
    }
    if (!SLUG.matcher(slug).matches()) {
      return Optional.of(
          "slug must start with a letter and contain only lowercase letters, numbers, and hyphens");
    }
    if (RESERVED.contains(slug)) {
      return Optional.of("slug is reserved");
    }
    return Optional.empty();
  }
}
