package dev.minitower.api;

import dev.minitower.model.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/** Builds tar.gz artifacts, good and hostile, for upload tests. */
public final class Archives {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  private Archives(int level) {
    try {
      GzipParameters p = new GzipParameters();
      p.setCompressionLevel(level);
      tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes, p));
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Archives tarGz() {
    return new Archives(6);
  }

  public static Archives fastTarGz() {
    return new Archives(1);
  }

  public static String towerfile(String app, String script) {
    return "[app]\nname = \"" + app + "\"\nscript = \"" + script + "\"\n";
  }

  /** A minimal valid artifact: Towerfile for {@code app} with script main.py, and main.py. */
  public static byte[] minimal(String app) {
    return tarGz()
        .file("Towerfile", towerfile(app, "main.py"))
        .file("main.py", "print('hi')\n")
        .bytes();
  }

  public Archives file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  public Archives file(String name, byte[] content, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(content.length);
    e.setMode(mode);
    return entry(e, content);
  }

  /** A regular-file entry of {@code size} zero bytes, streamed (for bombs). */
  public Archives zeros(String name, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    try {
      tar.putArchiveEntry(e);
      byte[] block = new byte[1 << 16];
      for (long left = size; left > 0; left -= block.length) {
        tar.write(block, 0, (int) Math.min(block.length, left));
      }
      tar.closeArchiveEntry();
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
    return this;
  }

  public Archives link(String name, String target, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setLinkName(target);
    return entry(e, new byte[0]);
  }

  public Archives special(String name, byte type) {
    return entry(new TarArchiveEntry(name, type, true), new byte[0]);
  }

  private Archives entry(TarArchiveEntry e, byte[] content) {
    try {
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
    return this;
  }

  public byte[] bytes() {
    try {
      tar.finish();
      tar.close();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GzipCompressorOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  public static String sha256(byte[] b) {
    return Sha256.hex(b);
  }
}
