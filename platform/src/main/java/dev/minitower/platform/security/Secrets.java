package dev.minitower.platform.security;

import dev.minitower.model.hash.Sha256;
import dev.minitower.model.runner.RunnerProtocol;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Token handling shared by the services: 32 random bytes in base64url (43 characters, no padding)
 * behind a type prefix ({@code mtk_}, {@code mtr_}, {@code mrt_}); only the SHA-256 hex of the full
 * string is ever stored; configured secrets are compared digest-to-digest in constant time.
 */
public final class Secrets {
  /** A team API token. */
  public static final String TEAM_PREFIX = "mtk_";

  /** A runner's own token, handed out at registration. */
  public static final String RUNNER_PREFIX = RunnerProtocol.RUNNER_TOKEN_PREFIX;

  /** A runner registration token made through the API (besides the configured one). */
  public static final String RUNNER_REGISTRATION_PREFIX = "mrt_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A fresh token: {@code prefix} + 43 base64url characters. */
  public static String newToken(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code value}. */
  public static String sha256Hex(String value) {
    return Sha256.hex(value);
  }

  /** Constant-time comparison of two secrets (both hashed first, so lengths do not leak). */
  public static boolean matches(String presented, String expected) {
    if (presented == null || expected == null || expected.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(Sha256.digest(presented), Sha256.digest(expected));
  }

  /**
   * The credential of an {@code Authorization} header, parsed like the original: stripped, the
   * first seven characters equal {@code bearer } case-insensitively, the rest stripped and
   * non-empty; null for anything else.
   */
  public static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("bearer ")) {
      return null;
    }
    String token = h.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
