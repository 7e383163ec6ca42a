package dev.minitower.system.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A hand-written ustar/PAX writer, so that tests can build archives no well-behaved library would
 * write: {@code ../} names, links pointing outside, devices, FIFOs, setuid bits, duplicates.
 */
public final class Tar {
  private final OutputStream out;

  public Tar(OutputStream out) {
    this.out = out;
  }

  /** A regular file. */
  public Tar file(String name, String content) throws IOException {
    return entry(name, '0', 0644, content.getBytes(StandardCharsets.UTF_8), "");
  }

  public Tar entry(String name, char type, int mode, byte[] content, String link)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      String rec = pax("path", name);
      header("././@PaxHeader", 'x', 0644, rec.getBytes(StandardCharsets.UTF_8).length, "");
      body(rec.getBytes(StandardCharsets.UTF_8));
      name = "long-name-placeholder";
    }
    header(name, type, mode, content.length, link);
    body(content);
    return this;
  }

  /** A regular file of {@code size} zero bytes, written in blocks (a gzip bomb's payload). */
  public Tar zeros(String name, long size) throws IOException {
    header(name, '0', 0644, size, "");
    byte[] block = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(block.length, left);
      out.write(block, 0, n);
      left -= n;
    }
    out.write(new byte[(int) ((512 - size % 512) % 512)]);
    return this;
  }

  /** Ends the archive with two zero blocks. */
  public void finish() throws IOException {
    out.write(new byte[1024]);
    out.flush();
  }

  /** A PAX record "len key=value\n" with its own length counted. */
  static String pax(String key, String value) {
    String rest = " " + key + "=" + value + "\n";
    int len = rest.getBytes(StandardCharsets.UTF_8).length;
    int total = len + Integer.toString(len).length();
    if (Integer.toString(total).length() != Integer.toString(len).length()) {
      total++;
    }
    return total + rest;
  }

  private void header(String name, char type, int mode, long size, String link) throws IOException {
    byte[] h = new byte[512];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 1_700_000_000L);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    if (type == '3' || type == '4') {
      octal(h, 329, 8, 1);
      octal(h, 337, 8, 3);
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String chk = String.format("%06o", sum);
    put(h, 148, 8, (chk + "\0 ").getBytes(StandardCharsets.US_ASCII));
    out.write(h);
  }

  private void body(byte[] content) throws IOException {
    out.write(content);
    int pad = (int) ((512 - content.length % 512) % 512);
    out.write(new byte[pad]);
  }

  private static void put(byte[] h, int off, int len, byte[] v) {
    System.arraycopy(v, 0, h, off, Math.min(len, v.length));
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = String.format("%0" + (len - 1) + "o", v);
    put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
  }

  /** A complete .tar.gz built by {@code body}. */
  public static byte[] gz(Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      Tar t = new Tar(gz);
      body.write(t);
      t.finish();
    }
    return bytes.toByteArray();
  }

  /** A Towerfile for app {@code name} running {@code script}. */
  public static String towerfile(String name, String script) {
    return "[app]\nname = \"" + name + "\"\nscript = \"" + script + "\"\nsource = [\"./*\"]\n";
  }

  /** A minimal valid app: Towerfile plus one shell script. */
  public static byte[] app(String name, String scriptName, String script) throws IOException {
    return gz(
        t -> t.file("Towerfile", towerfile(name, "./" + scriptName)).file(scriptName, script));
  }

  /** Writes entries. */
  public interface Body {
    void write(Tar t) throws IOException;
  }
}
