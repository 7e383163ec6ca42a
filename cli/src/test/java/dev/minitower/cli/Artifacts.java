package dev.minitower.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Test helpers: pull the artifact out of a multipart upload and list a tar.gz. */
final class Artifacts {
  private Artifacts() {}

  record Upload(String filename, byte[] content) {}

  static Upload fromMultipart(FakeApi.Request req) {
    String ct = req.header("Content-Type");
    String boundary = ct.substring(ct.indexOf("boundary=") + "boundary=".length());
    byte[] body = req.body();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int part = text.indexOf("--" + boundary + "\r\n");
    int headersEnd = text.indexOf("\r\n\r\n", part);
    String headers = text.substring(part, headersEnd);
    if (!headers.contains("name=\"artifact\"")) {
      throw new AssertionError("no artifact part: " + headers);
    }
    int fn = headers.indexOf("filename=\"") + "filename=\"".length();
    String filename = headers.substring(fn, headers.indexOf('"', fn));
    int start = headersEnd + 4;
    int end = text.indexOf("\r\n--" + boundary + "--", start);
    byte[] content = new byte[end - start];
    System.arraycopy(body, start, content, 0, content.length);
    return new Upload(filename, content);
  }

  /** Entry name → content (null for symlinks), in archive order. */
  static Map<String, String> entries(byte[] tarGz) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tarGz)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        out.put(
            e.getName(),
            e.isSymbolicLink() ? null : new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static List<String> names(byte[] tarGz) throws IOException {
    return new ArrayList<>(entries(tarGz).keySet());
  }
}
