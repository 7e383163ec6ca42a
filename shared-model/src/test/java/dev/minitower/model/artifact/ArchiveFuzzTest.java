package dev.minitower.model.artifact;

import static dev.minitower.model.artifact.TestArchives.gzip;
import static dev.minitower.model.artifact.TestArchives.tar;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random corruption of valid artifacts (fixed seeds, so failures reproduce): whatever the bytes,
 * the reader either accepts the archive or throws {@link ArchiveException}, never anything else.
 */
class ArchiveFuzzTest {

  private static final byte[] SEED_TAR =
      tar()
          .towerfile()
          .dir("lib")
          .file("lib/util.py", "x = 1\n")
          .file("d/".repeat(60) + "long.py", "y")
          .symlink("link.py", "lib/util.py")
          .hardlink("copy.py", "lib/util.py")
          .file("main.py", "print('hi')\n")
          .tarBytes();

  private static byte[] mutate(byte[] original, Random random) {
    byte[] copy = original.clone();
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(copy.length);
      copy[at] =
          switch (random.nextInt(4)) {
            case 0 -> (byte) random.nextInt(256);
            case 1 -> (byte) (copy[at] ^ (1 << random.nextInt(8)));
            case 2 -> (byte) ('0' + random.nextInt(10));
            default -> 0;
          };
    }
    if (random.nextInt(10) == 0) {
      copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
    }
    return copy;
  }

  @Test
  @Timeout(60)
  void corruptedTarContentNeverCrashesTheInspector() {
    Random random = new Random(20_261_127);
    for (int i = 0; i < 3000; i++) {
      byte[] gz = gzip(mutate(SEED_TAR, random));
      try {
        ArchiveInspector.inspect(new ByteArrayInputStream(gz), ArchiveLimits.defaults());
      } catch (ArchiveException expected) {
        assertThat(expected.code()).isNotBlank();
        assertThat(expected.message()).isNotBlank();
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("iteration " + i + " escaped as " + e, e);
      }
    }
  }

  @Test
  @Timeout(60)
  void corruptedGzipBytesNeverCrashTheInspector() {
    Random random = new Random(7);
    byte[] gz = gzip(SEED_TAR);
    for (int i = 0; i < 3000; i++) {
      try {
        ArchiveInspector.inspect(
            new ByteArrayInputStream(mutate(gz, random)), ArchiveLimits.defaults());
      } catch (ArchiveException expected) {
        assertThat(expected.code()).isNotBlank();
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("iteration " + i + " escaped as " + e, e);
      }
    }
  }

  @Test
  @Timeout(60)
  void corruptedArchivesNeverEscapeTheExtractionDirectory(@TempDir Path work) throws IOException {
    Random random = new Random(99);
    Path dest = work.resolve("dest");
    for (int i = 0; i < 80; i++) {
      try {
        SafeExtractor.extract(
            new ByteArrayInputStream(gzip(mutate(SEED_TAR, random))),
            dest,
            ArchiveLimits.defaults());
      } catch (ArchiveException expected) {
        // refused: fine
      } catch (IOException e) {
        // e.g. a corrupted name that is not a legal file name here; still must stay inside
      } catch (RuntimeException e) {
        throw new AssertionError("iteration " + i + " escaped as " + e, e);
      }
      try (Stream<Path> all = Files.walk(work)) {
        assertThat(all.filter(p -> !p.startsWith(dest) && !p.equals(work))).isEmpty();
      }
      try (Stream<Path> all = Files.walk(dest)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
