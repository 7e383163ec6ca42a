package dev.minitower.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a raw socket, for requests a polite client will not send: chunked bodies far over a
 * cap streamed while the answer is read, odd {@code Transfer-Encoding} headers. (The same idea as
 * system-tests' {@code RawHttp}, for the services' own test suites.)
 */
public final class RawHttp {
  private RawHttp() {}

  /** The answer: status, head, body (de-chunked) and how many body bytes the client got out. */
  public record Answer(int status, String head, String body, long bytesSent) {
    /** The value of response header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /** {@code length} bytes of {@code b}, generated as they are read (never held in memory). */
  public static InputStream repeat(byte b, long length) {
    return new InputStream() {
      private long left = length;

      @Override
      public int read() {
        if (left <= 0) {
          return -1;
        }
        left--;
        return b & 0xff;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(buf, off, off + n, b);
        left -= n;
        return n;
      }
    };
  }

  /** Streams {@code body} chunked ({@code Transfer-Encoding: chunked}) while reading the answer. */
  public static Answer chunked(
      int port, String method, String path, String headers, InputStream body) throws Exception {
    return send(port, method, path, headers + "Transfer-Encoding: chunked\r\n", body, true);
  }

  /**
   * Sends {@code method path} with {@code headers} (CRLF-terminated lines, including any framing
   * header), then streams {@code body} on another thread — as chunks when {@code chunkFraming} —
   * while reading the answer until the server closes the connection.
   */
  public static Answer send(
      int port, String method, String path, String headers, InputStream body, boolean chunkFraming)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      String head =
          method
              + ' '
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + headers
              + "Connection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      AtomicLong sent = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                byte[] buf = new byte[16 * 1024];
                try {
                  int n;
                  while ((n = body.read(buf)) > 0) {
                    if (chunkFraming) {
                      out.write(
                          (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                      out.write(buf, 0, n);
                      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                      out.write(buf, 0, n);
                    }
                    sent.addAndGet(n);
                  }
                  if (chunkFraming) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  }
                  out.flush();
                } catch (IOException e) {
                  // the server stopped reading: expected for refused bodies
                }
              },
              "raw-body");
      writer.setDaemon(true);
      writer.start();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream resp = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          resp.write(buf, 0, n);
        }
      } catch (IOException e) {
        // reset after the answer: keep what was read
      }
      writer.join(2_000);
      String all = resp.toString(StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String h = split < 0 ? all : all.substring(0, split);
      String rest = split < 0 ? "" : all.substring(split + 4);
      int status =
          h.startsWith("HTTP/1.") && h.length() >= 12 ? Integer.parseInt(h.substring(9, 12)) : -1;
      if (h.toLowerCase().contains("transfer-encoding: chunked")) {
        rest = dechunk(rest);
      }
      return new Answer(status, h, rest, sent.get());
    }
  }

  private static String dechunk(String s) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int len;
      try {
        len = Integer.parseInt(s.substring(i, eol).trim(), 16);
      } catch (NumberFormatException e) {
        break;
      }
      if (len == 0) {
        break;
      }
      int end = Math.min(s.length(), eol + 2 + len);
      b.append(s, eol + 2, end);
      i = end + 2;
    }
    return b.toString();
  }
}
