package dev.minitower.system.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a raw socket, for requests a polite client will not send: a declared body far over
 * the cap that is streamed while the answer is read, chunked bodies without end, odd headers.
 */
final class RawHttp {
  private RawHttp() {}

  record Answer(int status, String head, String body, long bytesSent) {}

  /**
   * Sends {@code method path} with {@code headers} (CRLF-separated lines), then streams {@code
   * body} (chunked when {@code contentLength} &lt; 0) on another thread while reading the answer.
   */
  static Answer send(
      int port, String method, String path, String headers, InputStream body, long contentLength)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(120_000);
      OutputStream out = s.getOutputStream();
      StringBuilder h = new StringBuilder();
      h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      h.append(headers);
      if (contentLength >= 0) {
        h.append("Content-Length: ").append(contentLength).append("\r\n");
      } else {
        h.append("Transfer-Encoding: chunked\r\n");
      }
      h.append("Connection: close\r\n\r\n");
      out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      AtomicLong sent = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                byte[] buf = new byte[64 * 1024];
                try {
                  int n;
                  while ((n = body.read(buf)) > 0) {
                    if (contentLength >= 0) {
                      out.write(buf, 0, n);
                    } else {
                      out.write(
                          (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                      out.write(buf, 0, n);
                      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    sent.addAndGet(n);
                  }
                  if (contentLength < 0) {
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
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          resp.write(buf, 0, n);
        }
      } catch (IOException e) {
        // reset after the answer: keep what was read
      }
      writer.interrupt();
      String all = resp.toString(StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String head = split < 0 ? all : all.substring(0, split);
      String rest = split < 0 ? "" : all.substring(split + 4);
      int status = -1;
      if (head.startsWith("HTTP/1.")) {
        status = Integer.parseInt(head.substring(9, 12));
      }
      if (head.toLowerCase().contains("transfer-encoding: chunked")) {
        rest = dechunk(rest);
      }
      return new Answer(status, head, rest, sent.get());
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
