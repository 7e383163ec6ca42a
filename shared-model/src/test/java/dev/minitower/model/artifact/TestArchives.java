package dev.minitower.model.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds well-formed and hostile tar.gz artifacts for tests, with commons-compress. */
final class TestArchives {

  static final String TOWERFILE = "[app]\nname = \"my-app\"\nscript = \"main.py\"\n";

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  private TestArchives(int longFileMode) {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(longFileMode);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  static TestArchives tar() {
    return new TestArchives(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  static TestArchives gnuTar() {
    return new TestArchives(TarArchiveOutputStream.LONGFILE_GNU);
  }

  TestArchives towerfile() {
    return file("Towerfile", TOWERFILE);
  }

  TestArchives file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  TestArchives file(String name, byte[] content, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    entry.setMode(0100000 | mode);
    return add(entry, content);
  }

  TestArchives dir(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    return add(entry, new byte[0]);
  }

  TestArchives dir(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    entry.setMode(040000 | mode);
    return add(entry, new byte[0]);
  }

  TestArchives symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  TestArchives hardlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  TestArchives special(String name, byte type) {
    return add(new TarArchiveEntry(name, type, true), new byte[0]);
  }

  TestArchives add(TarArchiveEntry entry, byte[] content) {
    // Whole seconds: commons would otherwise add a PAX header for sub-second mtimes.
    entry.setModTime(1_700_000_000_000L);
    try {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The uncompressed tar stream, with its end-of-archive marker. */
  byte[] tarBytes() {
    try {
      tar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] gz() {
    return gzip(tarBytes());
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A single 512-byte ustar header with a valid checksum, for shapes commons refuses to write. */
  static byte[] rawHeader(String name, char type, long size) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String s = Long.toOctalString(value);
    while (s.length() < length - 1) {
      s = "0" + s;
    }
    byte[] digits = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, h, offset, digits.length);
    h[offset + digits.length] = 0;
  }
}
