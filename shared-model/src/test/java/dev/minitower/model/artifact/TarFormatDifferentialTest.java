package dev.minitower.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our tar reader against Apache commons-compress on valid archives: random trees (files of every
 * size around the 512-byte block, directories, symlinks inside the root, hard links to earlier
 * files, long and non-ASCII names written as GNU and as PAX headers, big-number sizes) must read as
 * the same entries with the same content. Archives both accept are the common ground; what only
 * ours refuses is the rules' business and tested elsewhere.
 */
class TarFormatDifferentialTest {

  record Seen(String name, TarGzReader.Kind kind, long size, int mode, String link, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Seen s
          && s.name.equals(name)
          && s.kind == kind
          && s.size == size
          && s.mode == mode
          && java.util.Objects.equals(s.link, link)
          && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return kind
          + " "
          + name
          + " size="
          + size
          + " mode="
          + Integer.toOctalString(mode)
          + (link == null ? "" : " -> " + link);
    }
  }

  @ParameterizedTest(name = "long names as {0}")
  @ValueSource(ints = {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX})
  void bothReadersSeeTheSameEntries(int longFileMode) throws Exception {
    for (int seed = 0; seed < 60; seed++) {
      byte[] tarGz = randomArchive(new Random(seed * 31L + longFileMode), longFileMode);
      assertThat(ours(tarGz)).as("seed " + seed).containsExactlyElementsOf(theirs(tarGz));
    }
  }

  private static byte[] randomArchive(Random random, int longFileMode) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GZIPOutputStream(bytes), StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(longFileMode);
      tar.setBigNumberMode(
          random.nextBoolean()
              ? TarArchiveOutputStream.BIGNUMBER_STAR
              : TarArchiveOutputStream.BIGNUMBER_POSIX);
      List<String> dirs = new ArrayList<>(List.of(""));
      List<String> files = new ArrayList<>();
      int entries = 1 + random.nextInt(25);
      for (int i = 0; i < entries; i++) {
        String parent = dirs.get(random.nextInt(dirs.size()));
        String name = parent + segment(random, i);
        int pick = random.nextInt(10);
        if (pick < 2) {
          TarArchiveEntry e = new TarArchiveEntry(name + "/");
          e.setMode(040755);
          tar.putArchiveEntry(e);
          tar.closeArchiveEntry();
          dirs.add(name + "/");
        } else if (pick == 2 && !files.isEmpty()) {
          TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
          e.setLinkName(relativeTo(parent, files.get(random.nextInt(files.size()))));
          tar.putArchiveEntry(e);
          tar.closeArchiveEntry();
        } else if (pick == 3 && !files.isEmpty()) {
          TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
          e.setLinkName(files.get(random.nextInt(files.size())));
          tar.putArchiveEntry(e);
          tar.closeArchiveEntry();
        } else {
          byte[] data = content(random);
          TarArchiveEntry e = new TarArchiveEntry(name);
          e.setSize(data.length);
          e.setMode(random.nextBoolean() ? 0100644 : 0100755);
          tar.putArchiveEntry(e);
          tar.write(data);
          tar.closeArchiveEntry();
          files.add(name);
        }
      }
    }
    return bytes.toByteArray();
  }

  private static String segment(Random random, int i) {
    return switch (random.nextInt(5)) {
      case 0 -> "long-" + "n".repeat(90 + random.nextInt(200)) + i;
      case 1 -> "ünïcödé-名前-" + i;
      case 2 -> "with space " + i + ".txt";
      default -> "e" + i + (random.nextBoolean() ? ".py" : "");
    };
  }

  /** A target for a symlink in {@code dir} naming {@code file}, going up as needed. */
  private static String relativeTo(String dir, String file) {
    long depth = dir.chars().filter(c -> c == '/').count();
    return "../".repeat((int) depth) + file;
  }

  private static byte[] content(Random random) {
    int[] sizes = {0, 1, 511, 512, 513, 1023, 1024, 4096, 70_000};
    byte[] data = new byte[sizes[random.nextInt(sizes.length)]];
    random.nextBytes(data);
    return data;
  }

  private static List<Seen> ours(byte[] tarGz) throws IOException {
    List<Seen> out = new ArrayList<>();
    try (TarGzReader reader =
        TarGzReader.open(new ByteArrayInputStream(tarGz), ArchiveLimits.defaults())) {
      TarGzReader.Entry e;
      while ((e = reader.next()) != null) {
        byte[] data = reader.content().readAllBytes();
        out.add(new Seen(e.name(), e.kind(), e.size(), e.mode(), e.linkTarget(), data));
      }
      reader.finish();
    }
    return out;
  }

  private static List<Seen> theirs(byte[] tarGz) throws IOException {
    List<Seen> out = new ArrayList<>();
    try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(tarGz));
        TarArchiveInputStream tar = new TarArchiveInputStream(gz, StandardCharsets.UTF_8.name())) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name =
            e.getName().endsWith("/")
                ? e.getName().substring(0, e.getName().length() - 1)
                : e.getName();
        TarGzReader.Kind kind =
            e.isSymbolicLink()
                ? TarGzReader.Kind.SYMLINK
                : e.isLink()
                    ? TarGzReader.Kind.HARDLINK
                    : e.isDirectory() ? TarGzReader.Kind.DIRECTORY : TarGzReader.Kind.FILE;
        String link =
            kind == TarGzReader.Kind.SYMLINK || kind == TarGzReader.Kind.HARDLINK
                ? e.getLinkName()
                : null;
        byte[] data = kind == TarGzReader.Kind.FILE ? tar.readAllBytes() : new byte[0];
        out.add(new Seen(name, kind, e.getSize(), e.getMode(), link, data));
      }
    }
    return out;
  }
}
