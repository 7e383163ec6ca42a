package dev.minitower.platform.http;

import dev.minitower.platform.error.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that fails with 413 {@code payload_too_large} as soon as more than its cap has
 * been read, and has the connection closed after the answer (the rest is never read).
 */
final class CappedInputStream extends FilterInputStream {
  private final RoutingContext rc;
  private long remaining;
  private boolean exceeded;

  CappedInputStream(InputStream in, long cap, RoutingContext rc) {
    super(in);
    this.remaining = cap;
    this.rc = rc;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    // Never ask for more than one byte past the cap: that byte alone proves the body too large.
    int n = super.read(buf, off, (int) Math.min(len, remaining + 1));
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(Math.min(n, remaining + 1));
    counted(skipped);
    return skipped;
  }

  /**
   * Once over the cap, closing must not drain the rest of the body (the server's stream reads it to
   * the end on close): the connection is closed after the answer instead.
   */
  @Override
  public void close() throws IOException {
    if (!exceeded) {
      super.close();
    }
  }

  private void counted(long n) {
    remaining -= n;
    if (remaining < 0) {
      exceeded = true;
      RequestGuards.closeAfterAnswer(rc);
      throw new ApiException(413, "payload_too_large", "request body too large");
    }
  }
}
