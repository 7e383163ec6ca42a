package dev.minitower.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token handling shared by the services: 32 random bytes in base64url (43 characters, no padding)
 * behind a type prefix ({@code mtk_}, {@code mtr_}, {@code mrt_}); only the SHA-256 hex of the full
 * string is ever stored; configured secrets are compared digest-to-digest in constant time.
 */
public final class Secrets {
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
    return HexFormat.of().formatHex(digest(value));
  }

  /** Constant-time comparison of two secrets (both hashed first, so lengths do not leak). */
  public static boolean matches(String presented, String expected) {
    if (presented == null || expected == null || expected.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(digest(presented), digest(expected));
  }

  /**
   * The credential of an {@code Authorization} header: trimmed, {@code Bearer } (any case), then a
   * non-empty remainder; null for anything else.
   */
  public static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("bearer ")) {
      return null;
    }
    String token = h.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
