package dev.minitower.model.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one hash of the project: artifacts are addressed by it, tokens stored as it, and
 * both always as lower-case hex.
 */
public final class Sha256 {
  private Sha256() {}

  /**
   * A digest in its initial state, copied for each use: {@link MessageDigest#getInstance} looks the
   * algorithm up among the security providers on every call (1 % of runner-service's CPU, which
   * hashes every lease token and runner token it checks).
   */
  private static final MessageDigest PROTOTYPE = lookUp();

  private static final boolean CLONEABLE = cloneable();

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static boolean cloneable() {
    try {
      PROTOTYPE.clone();
      return true;
    } catch (CloneNotSupportedException e) {
      return false;
    }
  }

  /** A fresh digest, for content read in pieces. */
  public static MessageDigest newDigest() {
    if (CLONEABLE) {
      try {
        // The prototype is never updated, so every copy starts from the initial state.
        return (MessageDigest) PROTOTYPE.clone();
      } catch (CloneNotSupportedException e) {
        // cloneable() said otherwise; fall through to a lookup
      }
    }
    return lookUp();
  }

  public static byte[] digest(byte[] data) {
    return newDigest().digest(data);
  }

  /** The digest of the UTF-8 bytes of {@code text}. */
  public static byte[] digest(String text) {
    return digest(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String hex(byte[] data) {
    return HexFormat.of().formatHex(digest(data));
  }

  /** The hex digest of the UTF-8 bytes of {@code text}. */
  public static String hex(String text) {
    return HexFormat.of().formatHex(digest(text));
  }

  /** Completes {@code digest} (see {@link MessageDigest#digest()}) and returns it as hex. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
