package dev.minitower.api.auth;

import dev.minitower.platform.error.ApiException;

/** The authenticated team token behind a request. */
public record Caller(long teamId, String teamSlug, long tokenId, String role) {
  public static final String ADMIN = "admin";
  public static final String MEMBER = "member";

  public boolean isAdmin() {
    return ADMIN.equals(role);
  }

  public void requireAdmin() {
    if (!isAdmin()) {
      throw ApiException.forbidden("admin role required");
    }
  }
}
