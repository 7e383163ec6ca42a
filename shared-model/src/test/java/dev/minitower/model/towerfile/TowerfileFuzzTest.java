package dev.minitower.model.towerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random edits of a valid Towerfile (fixed seed) only ever yield a Towerfile or the documented
 * error.
 */
class TowerfileFuzzTest {

  private static final String ALPHABET = "[]{}=\"'.,#\n =-_0123456789abcnrstuvxyz\\é";

  @Test
  @Timeout(60)
  void randomEditsOnlyYieldATowerfileOrATowerfileException() {
    Random random = new Random(1127);
    String seed = TowerfileParserTest.FULL_EXAMPLE;
    for (int i = 0; i < 5000; i++) {
      StringBuilder text = new StringBuilder(seed);
      int edits = 1 + random.nextInt(6);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(text.length());
        char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.setCharAt(at, c);
          case 1 -> text.insert(at, c);
          default -> text.deleteCharAt(at);
        }
      }
      try {
        assertThat(TowerfileParser.parse(text.toString()).appName()).isNotEmpty();
      } catch (TowerfileException expected) {
        assertThat(expected.message()).startsWith("invalid Towerfile: ");
      } catch (RuntimeException e) {
        throw new AssertionError("iteration " + i + " escaped as " + e + " for:\n" + text, e);
      }
    }
  }
}
