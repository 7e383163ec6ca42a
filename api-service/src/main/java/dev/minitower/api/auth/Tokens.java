package dev.minitower.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token formats of the original: a prefix plus 32 random bytes in unpadded base64url (43 chars).
 * Only the lower-case hex SHA-256 of the whole string (prefix included) is ever stored.
 */
public final class Tokens {
  public static final String TEAM_PREFIX = "mtk_";
  public static final String RUNNER_REGISTRATION_PREFIX = "mrt_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  public static String newToken(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String sha256Hex(String value) {
    return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
  }

  public static byte[] sha256(byte[] value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares two secrets in constant time by comparing their SHA-256 digests. */
  public static boolean constantTimeEquals(String presented, String expected) {
    if (presented == null || expected == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sha256(presented.getBytes(StandardCharsets.UTF_8)),
        sha256(expected.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The credential of an {@code Authorization} header, parsed like the original: trimmed, the first
   * seven characters equal {@code bearer } case-insensitively, the rest trimmed and non-empty.
   * Returns null otherwise.
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
