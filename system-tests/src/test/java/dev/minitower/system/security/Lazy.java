package dev.minitower.system.security;

import dev.minitower.system.faults.Tar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Big request bodies generated on the fly (never whole in memory). */
final class Lazy {
  private Lazy() {}

  /** Writes a body. */
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** An input stream fed by {@code writer} on its own thread. */
  static InputStream stream(Writer writer) throws IOException {
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread t =
        new Thread(
            () -> {
              try (out) {
                writer.write(out);
              } catch (IOException e) {
                // reader gone
              }
            },
            "lazy-body");
    t.setDaemon(true);
    t.start();
    return in;
  }

  /** A multipart form with one part {@code artifact} whose bytes {@code artifact} writes. */
  static Writer multipart(String boundary, Writer artifact) {
    return out -> {
      out.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"a.tar.gz\""
                  + "\r\nContent-Type: application/gzip\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      artifact.write(out);
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    };
  }

  /** A tar.gz (best compression) whose entries {@code body} writes. */
  static Writer tarGz(Tar.Body body) {
    return out -> {
      GZIPOutputStream gz =
          new GZIPOutputStream(new NonClosing(out), 1 << 16) {
            {
              def.setLevel(Deflater.BEST_COMPRESSION);
            }
          };
      Tar t = new Tar(gz);
      body.write(t);
      t.finish();
      gz.finish();
    };
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
