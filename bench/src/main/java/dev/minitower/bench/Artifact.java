package dev.minitower.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** The tiny app the bench deploys: a Towerfile and a no-op {@code main.sh}. */
final class Artifact {
  private Artifact() {}

  static byte[] tarGz(String app) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      add(tar, "Towerfile", "[app]\nname = \"" + app + "\"\nscript = \"./main.sh\"\n", 0644);
      add(tar, "main.sh", "#!/bin/sh\necho bench\n", 0755);
    }
    return bytes.toByteArray();
  }

  private static void add(TarArchiveOutputStream tar, String name, String text, int mode)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(mode);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }
}
