package dev.minitower.model.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** FIPS 180-2 test vectors, in every form the helper offers. */
class Sha256Test {
  static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void hexOfStringsAndBytes() {
    assertThat(Sha256.hex("")).isEqualTo(EMPTY);
    assertThat(Sha256.hex("abc")).isEqualTo(ABC);
    assertThat(Sha256.hex("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(ABC);
  }

  @Test
  void aDigestFedInPiecesEqualsTheWhole() {
    MessageDigest d = Sha256.newDigest();
    d.update("a".getBytes(StandardCharsets.UTF_8));
    d.update("bc".getBytes(StandardCharsets.UTF_8));
    assertThat(Sha256.hex(d)).isEqualTo(ABC);
  }

  @Test
  void stringsAreHashedAsUtf8() {
    assertThat(Sha256.digest("é")).isEqualTo(Sha256.digest(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    assertThat(Sha256.digest("abc")).hasSize(32);
  }

  @Test
  void freshDigestsAreIndependentCopiesInTheInitialState() {
    java.security.MessageDigest a = Sha256.newDigest();
    a.update("partial".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.security.MessageDigest b = Sha256.newDigest();
    org.assertj.core.api.Assertions.assertThat(Sha256.hex(b))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    org.assertj.core.api.Assertions.assertThat(Sha256.hex(a)).isEqualTo(Sha256.hex("partial"));
  }
}
