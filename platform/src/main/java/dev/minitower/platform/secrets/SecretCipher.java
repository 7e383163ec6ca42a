package dev.minitower.platform.secrets;

import dev.minitower.model.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of team secrets: AES-256-GCM of the JDK with a fresh 96-bit nonce per value
 * and the value's owner (team, name, environment) as associated data, so a ciphertext moved to
 * another row does not decrypt. Keys are 32 random bytes given in base64 ({@code
 * MINITOWER_SECRETS_KEY}); each has a key id (16 hex digits of a SHA-256 of the key) stored with
 * every value. Old keys ({@code MINITOWER_SECRETS_OLD_KEYS}, comma-separated) still decrypt; new
 * values always use the current key. No method puts a key or a value in an exception message.
 */
public final class SecretCipher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** A sealed value as stored: which key, the nonce and the ciphertext (with its tag). */
  public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {}

  /** What a value belongs to; bound into the ciphertext as associated data. */
  public record Owner(long teamId, String name, String environment) {
    byte[] aad() {
      return ("minitower-secret/v1\0"
              + teamId
              + "\0"
              + name
              + "\0"
              + (environment == null ? "" : environment))
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A key that cannot be used, a value that does not decrypt, or a key id nobody configured. */
  public static final class SecretCipherException extends RuntimeException {
    public SecretCipherException(String message) {
      super(message);
    }
  }

  private final String currentId;
  private final Map<String, byte[]> keys;

  private SecretCipher(String currentId, Map<String, byte[]> keys) {
    this.currentId = currentId;
    this.keys = keys;
  }

  /**
   * The cipher of the configured keys, or empty when no current key is configured.
   *
   * @param currentKey base64 of 32 bytes ({@code MINITOWER_SECRETS_KEY})
   * @param oldKeys comma-separated base64 keys that only decrypt ({@code
   *     MINITOWER_SECRETS_OLD_KEYS})
   * @throws SecretCipherException when a key is not base64 of exactly 32 bytes, or old keys are
   *     given without a current key
   */
  public static Optional<SecretCipher> of(Optional<String> currentKey, Optional<String> oldKeys) {
    Optional<String> current = currentKey.map(String::strip).filter(k -> !k.isEmpty());
    Optional<String> old = oldKeys.map(String::strip).filter(k -> !k.isEmpty());
    if (current.isEmpty()) {
      if (old.isPresent()) {
        throw new SecretCipherException(
            "MINITOWER_SECRETS_OLD_KEYS is set but MINITOWER_SECRETS_KEY is not: old keys only"
                + " decrypt, new values need a current key");
      }
      return Optional.empty();
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    byte[] currentBytes = decodeKey(current.get(), "MINITOWER_SECRETS_KEY");
    String currentId = keyId(currentBytes);
    keys.put(currentId, currentBytes);
    if (old.isPresent()) {
      int i = 0;
      for (String part : old.get().split(",")) {
        i++;
        if (part.isBlank()) {
          continue;
        }
        byte[] bytes = decodeKey(part.strip(), "MINITOWER_SECRETS_OLD_KEYS entry " + i);
        keys.putIfAbsent(keyId(bytes), bytes);
      }
    }
    return Optional.of(new SecretCipher(currentId, Collections.unmodifiableMap(keys)));
  }

  /** A fresh key in the form {@link #of} reads (for operators and tests). */
  public static String newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** The key id of a key given as base64. */
  public static String keyIdOf(String base64Key) {
    return keyId(decodeKey(base64Key, "key"));
  }

  public String currentKeyId() {
    return currentId;
  }

  /** Every key id this cipher can decrypt, the current one first. */
  public Set<String> keyIds() {
    return keys.keySet();
  }

  public Sealed encrypt(String value, Owner owner) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(keys.get(currentId), "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(owner.aad());
      return new Sealed(currentId, nonce, c.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new SecretCipherException("encryption failed: " + e.getClass().getSimpleName());
    }
  }

  public String decrypt(Sealed sealed, Owner owner) {
    byte[] key = keys.get(sealed.keyId());
    if (key == null) {
      throw new SecretCipherException(
          "secret is encrypted under key id "
              + sealed.keyId()
              + ", which is neither MINITOWER_SECRETS_KEY nor in MINITOWER_SECRETS_OLD_KEYS");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      c.updateAAD(owner.aad());
      return new String(c.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new SecretCipherException(
          "secret does not decrypt under key id " + sealed.keyId() + " (tampered or moved row)");
    }
  }

  /**
   * A short keyed digest of a value (16 hex digits of HMAC-SHA256 under a key derived from the
   * current key): tells whether two values differ without being a guessable hash of the value.
   */
  public String fingerprint(String value) {
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(new SecretKeySpec(keys.get(currentId), "HmacSHA256"));
      byte[] sub = derive.doFinal("minitower-secret-fingerprint".getBytes(StandardCharsets.UTF_8));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(sub, "HmacSHA256"));
      byte[] d = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new SecretCipherException("fingerprint failed: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] decodeKey(String base64, String what) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip().replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new SecretCipherException(
          what + " is not base64 (generate one with: openssl rand -base64 32)");
    }
    if (bytes.length != 32) {
      throw new SecretCipherException(
          what
              + " must be base64 of exactly 32 bytes, got "
              + bytes.length
              + " (generate one with: openssl rand -base64 32)");
    }
    return bytes;
  }

  private static String keyId(byte[] key) {
    MessageDigest sha = Sha256.newDigest();
    sha.update("minitower-secrets-key-id\0".getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest(key), 0, 8);
  }
}
