package dev.minitower.agent.logs;

import dev.minitower.model.runner.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a workload's output into lines and caps each line at {@link LogEntry#MAX_LINE_BYTES} UTF-8
 * bytes. Invalid UTF-8 becomes U+FFFD; an over-long line is cut on a character boundary and ends
 * with {@link #MARKER}, all within the limit, so the server never rejects a batch for one line.
 * Only the first bytes of a long line are kept in memory; the rest is skipped.
 */
public final class LogLines {
  public static final String MARKER = "…[truncated]";
  private static final int MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8).length;

  /** Raw bytes kept per line; a little over the cap so a cut can land on a character boundary. */
  private static final int KEEP_BYTES = LogEntry.MAX_LINE_BYTES + 8;

  private LogLines() {}

  /** Reads {@code in} to its end, passing every line (without its terminator) to {@code sink}. */
  public static void split(InputStream in, Consumer<String> sink) throws IOException {
    byte[] buf = new byte[16 * 1024];
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    boolean overflow = false;
    int n;
    while ((n = in.read(buf)) > 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          overflow |= append(line, buf, start, i - start);
          sink.accept(finish(line.toByteArray(), overflow));
          line.reset();
          overflow = false;
          start = i + 1;
        }
      }
      overflow |= append(line, buf, start, n - start);
    }
    if (line.size() > 0 || overflow) {
      sink.accept(finish(line.toByteArray(), overflow));
    }
  }

  private static boolean append(ByteArrayOutputStream line, byte[] buf, int off, int len) {
    int room = KEEP_BYTES - line.size();
    if (len <= room) {
      line.write(buf, off, len);
      return false;
    }
    line.write(buf, off, Math.max(room, 0));
    return true;
  }

  private static String finish(byte[] bytes, boolean overflow) {
    int len = bytes.length;
    if (!overflow && len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    String text = decode(bytes, len);
    return cap(text, overflow);
  }

  private static String decode(byte[] bytes, int len) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes, 0, len))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }
  }

  /**
   * Returns {@code text} if it fits in {@link LogEntry#MAX_LINE_BYTES}, else its longest prefix
   * (whole code points) that leaves room for the marker, followed by the marker. {@code
   * forceMarker} marks text that was already cut while reading.
   */
  public static String cap(String text, boolean forceMarker) {
    int bytes = utf8Length(text);
    if (!forceMarker && bytes <= LogEntry.MAX_LINE_BYTES) {
      return text;
    }
    int budget = LogEntry.MAX_LINE_BYTES - MARKER_BYTES;
    int used = 0;
    int end = 0;
    while (end < text.length()) {
      int cp = text.codePointAt(end);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (used + size > budget) {
        break;
      }
      used += size;
      end += Character.charCount(cp);
    }
    // A line cut while reading may end in half a character, decoded as U+FFFD: drop that one.
    if (forceMarker && end == text.length() && end > 0 && text.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    return text.substring(0, end) + MARKER;
  }

  public static int utf8Length(CharSequence s) {
    int count = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        count++;
      } else if (c < 0x800) {
        count += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        count += 4;
        i++;
      } else {
        count += 3;
      }
    }
    return count;
  }
}
