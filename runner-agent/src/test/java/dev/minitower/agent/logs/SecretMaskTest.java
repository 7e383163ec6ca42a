package dev.minitower.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  private static final String VALUE = "p@ss word/42+x";
  private final SecretMask mask = SecretMask.of(List.of(VALUE));

  @Test
  void masksTheExactValueEveryTimeItAppears() {
    assertThat(mask.apply("a " + VALUE + " b " + VALUE)).isEqualTo("a *** b ***");
  }

  @Test
  void masksBase64Forms() {
    byte[] b = VALUE.getBytes(StandardCharsets.UTF_8);
    String std = Base64.getEncoder().encodeToString(b);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    assertThat(mask.apply("auth=" + std)).isEqualTo("auth=***");
    assertThat(mask.apply("t=" + url + ".")).isEqualTo("t=***.");
  }

  @Test
  void masksUrlEncodedForms() {
    String plus = URLEncoder.encode(VALUE, StandardCharsets.UTF_8);
    assertThat(mask.apply("?p=" + plus)).isEqualTo("?p=***");
    assertThat(mask.apply("?p=" + plus.replace("+", "%20"))).isEqualTo("?p=***");
    assertThat(mask.apply("?p=" + plus.replace("%2F", "%2f").replace("%2B", "%2b")))
        .isEqualTo("?p=***");
  }

  @Test
  void masksEachLineOfAMultiLineValue() {
    SecretMask pem =
        SecretMask.of(List.of("-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----"));
    assertThat(pem.apply("MIIBOgIBAAJBAK")).isEqualTo("***");
  }

  @Test
  void masksTheStartOfAValueCutAtTheLineCap() {
    String cut = "x".repeat(10) + VALUE.substring(0, 8) + LogLines.MARKER;
    assertThat(mask.apply(cut)).isEqualTo("x".repeat(10) + "***" + LogLines.MARKER);
  }

  @Test
  void masksTheLongestValueWholeWhenOneContainsAnother() {
    SecretMask two = SecretMask.of(List.of("abcd", "abcdefgh"));
    assertThat(two.apply("abcdefgh abcd")).isEqualTo("*** ***");
  }

  @Test
  void valuesShorterThanTheMinimumAreNotMasked() {
    SecretMask shortOnes = SecretMask.of(List.of("ab", "xyz"));
    assertThat(shortOnes.isEmpty()).isTrue();
    assertThat(shortOnes.apply("ab xyz")).isEqualTo("ab xyz");
  }

  @Test
  void noSecretsChangeNothing() {
    assertThat(SecretMask.of(null).apply("line")).isEqualTo("line");
    assertThat(SecretMask.none().apply("")).isEmpty();
  }
}
