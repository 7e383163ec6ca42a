package dev.minitower.model.artifact;

import static dev.minitower.model.towerfile.GoQuoting.quote;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The tar format of an artifact, read from its gzip stream: 512-byte headers (ustar, GNU {@code
 * L}/{@code K} long names, PAX {@code path}/{@code linkpath}/{@code size}), checksums, numeric
 * fields, padding and the end-of-archive marker. Format-level bounds only: extended headers at most
 * {@value #MAX_PAX_BYTES} bytes and {@value #MAX_META_HEADERS} per entry, 1 KiB per allowed entry
 * in total, a long name no longer than {@link ArchiveLimits#maxEntryNameLength()}, and at most
 * {@value #MAX_TAIL_BYTES} bytes inflated past the end marker. What an entry may be is {@link
 * TarGzReader}'s business.
 */
final class TarStream implements AutoCloseable {
  static final int MAX_PAX_BYTES = 65_536;
  static final int MAX_META_HEADERS = 8;
  static final long MAX_TAIL_BYTES = 1_048_576L;
  private static final int BLOCK = 512;

  /**
   * One entry's header with the extended headers before it. Name, link, size and mode are decoded
   * when asked for, so a caller checks them in the order it chooses.
   */
  record Header(
      char type,
      long headerSize,
      String longName,
      String longLink,
      Map<String, String> pax,
      byte[] block) {

    /** The raw name: PAX {@code path}, else the GNU long name, else the (ustar-prefixed) field. */
    String name() {
      if (pax.containsKey("path")) {
        return pax.get("path");
      }
      return longName != null ? longName : headerName(block);
    }

    /** The raw link target: PAX {@code linkpath}, else the GNU long link, else the field. */
    String link() {
      if (pax.containsKey("linkpath")) {
        return pax.get("linkpath");
      }
      return longLink != null ? longLink : cString(block, 157, 100);
    }

    long size() {
      return pax.containsKey("size") ? parsePaxSize(pax.get("size")) : headerSize;
    }

    int mode() {
      return (int) parseNumber(block, 100, 8);
    }
  }

  private final ArchiveLimits limits;
  private final InputStream tar;
  private final byte[] block = new byte[BLOCK];
  private int headers;
  private long metaBytes;
  private long remaining;
  private long padding;
  private String entryName;
  private boolean ended;

  private TarStream(ArchiveLimits limits, InputStream tar) {
    this.limits = limits;
    this.tar = tar;
  }

  /**
   * Opens the stream, reading the gzip header.
   *
   * @throws ArchiveException {@code artifact is not a valid gzip archive}
   * @throws IOException when reading {@code raw} itself fails
   */
  static TarStream open(InputStream raw, ArchiveLimits limits) throws IOException {
    GZIPInputStream gzip;
    try {
      gzip = new GZIPInputStream(new SourceStream(raw), 8192);
    } catch (SourceFailure e) {
      throw e.cause();
    } catch (IOException e) {
      throw ArchiveException.missing("artifact is not a valid gzip archive");
    }
    return new TarStream(limits, new GzipStream(gzip));
  }

  /** Runs a read step, turning failures of the caller's stream back into plain IOExceptions. */
  static <T> T unwrapSource(IoStep<T> step) throws IOException {
    try {
      return step.run();
    } catch (SourceFailure e) {
      throw e.cause();
    }
  }

  @FunctionalInterface
  interface IoStep<T> {
    T run() throws IOException;
  }

  /**
   * Extended headers (PAX, GNU long names) are not content; this separate budget (1 KiB per allowed
   * entry plus one maximal header) keeps thousands of them from being inflated.
   */
  private long metaBudget() {
    return (long) limits.maxEntries() * 1024 + MAX_PAX_BYTES;
  }

  /**
   * The next entry's header, or {@code null} at the end of the archive. What is left of the
   * previous entry's content is skipped first; its size is known from the previous header.
   */
  Header next() throws IOException {
    if (ended) {
      return null;
    }
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    entryName = null;

    String longName = null;
    String longLink = null;
    Map<String, String> pax = Map.of();
    int metaHeaders = 0;
    while (true) {
      int n = readBlock();
      if (n == 0) {
        if (metaHeaders > 0) {
          throw notTar();
        }
        ended = true;
        return null;
      }
      if (n < BLOCK) {
        throw notTar();
      }
      if (isZero(block)) {
        int m = readBlock();
        if (m == 0 || (m == BLOCK && isZero(block))) {
          if (metaHeaders > 0) {
            throw notTar();
          }
          ended = true;
          drainTail();
          return null;
        }
        throw notTar();
      }
      if (!checksumOk(block)) {
        throw notTar();
      }
      char type = (char) block[156];
      long size = parseNumber(block, 124, 12);
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        if (++metaHeaders > MAX_META_HEADERS) {
          throw ArchiveException.invalid(
              "entry #"
                  + (headers + 1)
                  + " has more than "
                  + MAX_META_HEADERS
                  + " extended headers");
        }
        long cap = (type == 'L' || type == 'K') ? limits.maxEntryNameLength() + 1L : MAX_PAX_BYTES;
        if (size > cap) {
          throw ArchiveException.invalid(
              (type == 'L' || type == 'K')
                  ? "entry #"
                      + (headers + 1)
                      + " has a name longer than "
                      + limits.maxEntryNameLength()
                      + " bytes"
                  : "entry #"
                      + (headers + 1)
                      + " has an extended header larger than "
                      + MAX_PAX_BYTES
                      + " bytes");
        }
        metaBytes += size;
        if (metaBytes > metaBudget()) {
          throw ArchiveException.invalid(
              "artifact has more than " + metaBudget() + " bytes of extended headers");
        }
        byte[] data = readExact((int) size);
        skip(pad(size));
        switch (type) {
          case 'L' -> longName = cString(data, 0, data.length);
          case 'K' -> longLink = cString(data, 0, data.length);
          case 'x' -> pax = parsePax(data);
          default -> {
            // Global PAX headers only carry defaults we do not use.
          }
        }
        continue;
      }
      headers++;
      return new Header(type, size, longName, longLink, pax, block.clone());
    }
  }

  /**
   * Declares the content of the header last returned: {@code size} bytes follow (then padding), and
   * a truncation inside them names the entry {@code name} (null: a header).
   */
  void content(long size, String name) {
    remaining = size;
    padding = pad(size);
    entryName = name;
  }

  /** Reads content of the current entry; -1 once all of it has been read. */
  int readContent(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = tar.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw truncated(entryName);
    }
    remaining -= n;
    return n;
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  /** {@link InputStream#read()} through the stream's own {@code read(byte[], int, int)}. */
  static int readOneByte(InputStream in) throws IOException {
    byte[] one = new byte[1];
    int n = in.read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  static ArchiveException notTar() {
    return ArchiveException.missing("artifact is not a valid tar archive");
  }

  private static ArchiveException truncated(String name) {
    return ArchiveException.invalid("artifact is truncated inside entry " + quote(name));
  }

  /**
   * Reads a bounded amount past the end-of-archive marker (tar pads to 10 KiB records) so that a
   * truncated or corrupt gzip trailer of a normal archive is still detected, without ever inflating
   * a large tail.
   */
  private void drainTail() throws IOException {
    byte[] buffer = new byte[8192];
    long budget = MAX_TAIL_BYTES;
    while (budget > 0) {
      int r = tar.read(buffer, 0, (int) Math.min(buffer.length, budget));
      if (r < 0) {
        return;
      }
      budget -= r;
    }
  }

  private int readBlock() throws IOException {
    int n = 0;
    while (n < BLOCK) {
      int r = tar.read(block, n, BLOCK - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  private byte[] readExact(int size) throws IOException {
    byte[] data = new byte[size];
    int n = 0;
    while (n < size) {
      int r = tar.read(data, n, size - n);
      if (r < 0) {
        throw notTar();
      }
      n += r;
    }
    return data;
  }

  private void skip(long count) throws IOException {
    byte[] buffer = new byte[8192];
    String name = entryName == null ? "(header)" : entryName;
    while (count > 0) {
      int r = tar.read(buffer, 0, (int) Math.min(buffer.length, count));
      if (r < 0) {
        throw truncated(name);
      }
      count -= r;
    }
  }

  private static long pad(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumOk(byte[] h) {
    long stored;
    try {
      stored = parseNumber(h, 148, 8);
    } catch (ArchiveException e) {
      return false;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : h[i];
    }
    return stored == unsigned || stored == signed;
  }

  /** Octal (NUL/space padded) or GNU base-256 numeric field. */
  private static long parseNumber(byte[] h, int offset, int length) {
    if ((h[offset] & 0x80) != 0) {
      if ((h[offset] & 0x40) != 0) {
        throw notTar();
      }
      long value = h[offset] & 0x3f;
      for (int i = 1; i < length; i++) {
        if (value > (Long.MAX_VALUE >> 8)) {
          throw notTar();
        }
        value = (value << 8) | (h[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    int i = offset;
    int end = offset + length;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    boolean digits = false;
    for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
      if (h[i] < '0' || h[i] > '7' || value > (Long.MAX_VALUE >> 3)) {
        throw notTar();
      }
      value = (value << 3) + (h[i] - '0');
      digits = true;
    }
    for (; i < end; i++) {
      if (h[i] != ' ' && h[i] != 0) {
        throw notTar();
      }
    }
    return digits ? value : 0;
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean posixUstar =
        h[257] == 'u'
            && h[258] == 's'
            && h[259] == 't'
            && h[260] == 'a'
            && h[261] == 'r'
            && h[262] == 0;
    if (posixUstar) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String cString(byte[] data, int offset, int length) {
    int end = offset;
    while (end < offset + length && data[end] != 0) {
      end++;
    }
    return utf8(data, offset, end - offset);
  }

  private static String utf8(byte[] data, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw ArchiveException.invalid("an entry name or link target is not valid UTF-8");
    }
  }

  private static Map<String, String> parsePax(byte[] data) {
    Map<String, String> out = new HashMap<>();
    int i = 0;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space == data.length || space == i || space - i > 9) {
        throw notTar();
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw notTar();
      }
      int end = i + length;
      if (length <= space - i + 1 || end > data.length || data[end - 1] != '\n') {
        throw notTar();
      }
      String record = utf8(data, space + 1, end - space - 2);
      int eq = record.indexOf('=');
      if (eq <= 0) {
        throw notTar();
      }
      out.put(record.substring(0, eq), record.substring(eq + 1));
      i = end;
    }
    return out;
  }

  private static long parsePaxSize(String value) {
    try {
      long size = Long.parseLong(value);
      if (size < 0) {
        throw notTar();
      }
      return size;
    } catch (NumberFormatException e) {
      throw notTar();
    }
  }

  /** Marks failures of the caller's stream so they are not mistaken for a corrupt artifact. */
  static final class SourceFailure extends IOException {
    SourceFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }

    IOException cause() {
      return (IOException) getCause();
    }
  }

  private static final class SourceStream extends FilterInputStream {
    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }
  }

  /** Turns inflation failures into artifact errors; source failures pass through. */
  private static final class GzipStream extends FilterInputStream {
    GzipStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (SourceFailure e) {
        throw e;
      } catch (EOFException e) {
        throw ArchiveException.invalid("artifact gzip stream is truncated");
      } catch (IOException e) {
        throw ArchiveException.invalid("artifact gzip stream is corrupt: " + e.getMessage());
      }
    }
  }
}
