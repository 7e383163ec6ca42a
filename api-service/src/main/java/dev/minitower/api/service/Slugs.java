package dev.minitower.api.service;

import dev.minitower.model.towerfile.SlugRules;
import dev.minitower.platform.error.ApiException;

/** Team and app slugs: shared-model's rules, answered as 400 {@code invalid_slug}. */
public final class Slugs {
  private Slugs() {}

  public static void require(String slug) {
    SlugRules.violation(slug)
        .ifPresent(
            rule -> {
              throw new ApiException(400, "invalid_slug", rule);
            });
  }
}
