package dev.minitower.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.platform.secrets.SecretCipher.Owner;
import dev.minitower.platform.secrets.SecretCipher.Sealed;
import dev.minitower.platform.secrets.SecretCipher.SecretCipherException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private static final String K1 = SecretCipher.newKey();
  private static final String K2 = SecretCipher.newKey();
  private static final Owner OWNER = new Owner(7, "DB_URL", null);

  private static SecretCipher cipher(String key, String old) {
    return SecretCipher.of(Optional.of(key), Optional.ofNullable(old)).orElseThrow();
  }

  @Test
  void roundTripsAndTheCiphertextDoesNotContainTheValue() {
    SecretCipher c = cipher(K1, null);
    Sealed s = c.encrypt("hunter2-password", OWNER);
    assertThat(s.keyId()).matches("[0-9a-f]{16}").isEqualTo(SecretCipher.keyIdOf(K1));
    assertThat(s.nonce()).hasSize(12);
    assertThat(new String(s.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    assertThat(c.decrypt(s, OWNER)).isEqualTo("hunter2-password");
  }

  @Test
  void everyEncryptionUsesAFreshNonce() {
    SecretCipher c = cipher(K1, null);
    assertThat(c.encrypt("v", OWNER).nonce()).isNotEqualTo(c.encrypt("v", OWNER).nonce());
  }

  @Test
  void aCiphertextMovedToAnotherTeamNameOrEnvironmentDoesNotDecrypt() {
    SecretCipher c = cipher(K1, null);
    Sealed s = c.encrypt("value", OWNER);
    for (Owner other :
        new Owner[] {
          new Owner(8, "DB_URL", null),
          new Owner(7, "DB_URL2", null),
          new Owner(7, "DB_URL", "prod")
        }) {
      assertThatThrownBy(() -> c.decrypt(s, other))
          .isInstanceOf(SecretCipherException.class)
          .hasMessageNotContaining("value");
    }
  }

  @Test
  void aTamperedCiphertextIsRefused() {
    SecretCipher c = cipher(K1, null);
    Sealed s = c.encrypt("value", OWNER);
    s.ciphertext()[0] ^= 1;
    assertThatThrownBy(() -> c.decrypt(s, OWNER)).isInstanceOf(SecretCipherException.class);
  }

  @Test
  void oldKeysStillDecryptAndNewValuesUseTheCurrentKey() {
    Sealed old = cipher(K1, null).encrypt("rotated", OWNER);
    SecretCipher rotated = cipher(K2, K1);
    assertThat(rotated.decrypt(old, OWNER)).isEqualTo("rotated");
    assertThat(rotated.encrypt("x", OWNER).keyId()).isEqualTo(SecretCipher.keyIdOf(K2));
    assertThat(rotated.keyIds())
        .containsExactly(SecretCipher.keyIdOf(K2), SecretCipher.keyIdOf(K1));
    assertThatThrownBy(() -> cipher(K2, null).decrypt(old, OWNER))
        .isInstanceOf(SecretCipherException.class)
        .hasMessageContaining(old.keyId())
        .hasMessageContaining("MINITOWER_SECRETS_OLD_KEYS");
  }

  @Test
  void badKeysAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> cipher("dG9vLXNob3J0", null))
        .isInstanceOf(SecretCipherException.class)
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining("dG9vLXNob3J0");
    assertThatThrownBy(() -> cipher("not base64 !!", null))
        .hasMessageContaining("not base64")
        .hasMessageNotContaining("!!");
    assertThatThrownBy(() -> SecretCipher.of(Optional.empty(), Optional.of(K1)))
        .hasMessageContaining("MINITOWER_SECRETS_KEY is not");
    assertThat(SecretCipher.of(Optional.of("  "), Optional.empty())).isEmpty();
  }

  @Test
  void fingerprintIsShortStableAndKeyed() {
    SecretCipher c = cipher(K1, null);
    assertThat(c.fingerprint("abc")).matches("[0-9a-f]{16}").isEqualTo(c.fingerprint("abc"));
    assertThat(c.fingerprint("abc")).isNotEqualTo(c.fingerprint("abd"));
    assertThat(cipher(K2, null).fingerprint("abc")).isNotEqualTo(c.fingerprint("abc"));
  }
}
