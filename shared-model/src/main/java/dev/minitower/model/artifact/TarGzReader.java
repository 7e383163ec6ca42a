package dev.minitower.model.artifact;

import static dev.minitower.model.towerfile.GoQuoting.quote;

import dev.minitower.model.towerfile.ProjectPaths;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Streaming reader for gzip-compressed tar artifacts that enforces the artifact safety rules on
 * every header before any content of that entry is read.
 *
 * <p>It understands ustar, GNU ({@code L}/{@code K} long names) and PAX ({@code path}, {@code
 * linkpath}, {@code size}) headers. Everything is bounded: names by {@link
 * ArchiveLimits#maxEntryNameLength()}, extended headers by {@value #MAX_PAX_BYTES} bytes and
 * {@value #MAX_META_HEADERS} per entry and 1 KiB per allowed entry in total, content by {@link
 * ArchiveLimits#maxUncompressedBytes()} and the entry count by {@link ArchiveLimits#maxEntries()}.
 * Past the end-of-archive marker at most {@value #MAX_TAIL_BYTES} bytes are inflated, enough to
 * verify the gzip trailer of a normal archive. Names are kept as a tree of segments with at most 64
 * distinct prefixes per allowed entry, and symlink resolution has a global step budget.
 *
 * <p>Rules: no absolute names, no {@code ..} segments, no duplicates (a directory may repeat), no
 * entry below a non-directory, no device files, FIFOs or other special types, no setuid/setgid
 * bits, hard links only to an earlier regular file, symlinks only to relative targets that resolve
 * inside the root. Symlink targets are first checked lexically, and once the whole archive has been
 * read {@link #finish()} resolves every symlink through the others (as a fresh extraction would),
 * which catches chains such as {@code a/s -> ..} plus {@code l -> a/s/..}.
 */
final class TarGzReader implements AutoCloseable {

  static final int MAX_PAX_BYTES = 65_536;
  static final int MAX_META_HEADERS = 8;
  private static final int MAX_SYMLINK_HOPS = 40;
  private static final long MAX_RESOLVE_STEPS = 2_000_000L;
  private static final int BLOCK = 512;
  static final long MAX_TAIL_BYTES = 1_048_576L;

  enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK
  }

  /**
   * One accepted entry.
   *
   * @param name cleaned name: no {@code ./}, no empty or {@code .} segments, no trailing slash
   * @param linkTarget raw symlink target, or the cleaned name of a hard link's target
   */
  record Entry(int index, String name, Kind kind, long size, int mode, String linkTarget) {}

  private final ArchiveLimits limits;
  private final InputStream tar;
  private final byte[] block = new byte[BLOCK];

  private int entryCount;
  private long contentBytes;
  private long metaBytes;
  private long remaining;
  private long padding;
  private Entry current;
  private boolean ended;

  private final NameTree names = new NameTree();
  private final Map<String, String> symlinks = new LinkedHashMap<>();
  private final TreeSet<String> fileNames = new TreeSet<>();

  private TarGzReader(ArchiveLimits limits, InputStream tar) {
    this.limits = limits;
    this.tar = tar;
  }

  /**
   * Opens the stream, reading the gzip header.
   *
   * @throws ArchiveException {@code artifact is not a valid gzip archive}
   * @throws IOException when reading {@code raw} itself fails
   */
  static TarGzReader open(InputStream raw, ArchiveLimits limits) throws IOException {
    GZIPInputStream gzip;
    try {
      gzip = new GZIPInputStream(new SourceStream(raw), 8192);
    } catch (SourceFailure e) {
      throw e.cause();
    } catch (IOException e) {
      throw ArchiveException.missing("artifact is not a valid gzip archive");
    }
    return new TarGzReader(limits, new GzipStream(gzip));
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

  int entryCount() {
    return entryCount;
  }

  long contentBytes() {
    return contentBytes;
  }

  Set<String> fileNames() {
    return fileNames;
  }

  /** Marks the archive root entry ({@code ./}), which is accepted and otherwise ignored. */
  private static final Entry ROOT = new Entry(0, "", Kind.DIRECTORY, 0, 0, null);

  /** The next accepted entry, or {@code null} at the end of the archive. */
  Entry next() throws IOException {
    Entry entry;
    do {
      entry = readEntry();
    } while (entry == ROOT);
    return entry;
  }

  private Entry readEntry() throws IOException {
    if (ended) {
      return null;
    }
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    current = null;

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
                  + (entryCount + 1)
                  + " has more than "
                  + MAX_META_HEADERS
                  + " extended headers");
        }
        long cap = (type == 'L' || type == 'K') ? limits.maxEntryNameLength() + 1L : MAX_PAX_BYTES;
        if (size > cap) {
          throw ArchiveException.invalid(
              (type == 'L' || type == 'K')
                  ? "entry #"
                      + (entryCount + 1)
                      + " has a name longer than "
                      + limits.maxEntryNameLength()
                      + " bytes"
                  : "entry #"
                      + (entryCount + 1)
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
      return accept(type, size, longName, longLink, pax);
    }
  }

  /** The content of the entry last returned by {@link #next()}; empty for non-files. */
  InputStream content() {
    Entry entry = current;
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (entry == null || entry.kind() != Kind.FILE || current != entry || remaining == 0) {
          return -1;
        }
        int n = tar.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw truncated(entry.name());
        }
        remaining -= n;
        return n;
      }
    };
  }

  /**
   * Checks what can only be checked with the whole archive in view: every symlink, followed through
   * the archive's other symlinks, must stay inside the root.
   */
  void finish() {
    if (symlinks.isEmpty()) {
      return;
    }
    long[] budget = {MAX_RESOLVE_STEPS};
    for (Map.Entry<String, String> link : symlinks.entrySet()) {
      resolveInside(names, link.getKey(), link.getValue(), budget);
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  private Entry accept(
      char type, long size, String longName, String longLink, Map<String, String> pax)
      throws IOException {
    int index = ++entryCount;
    if (index > limits.maxEntries()) {
      throw ArchiveException.invalid("artifact has more than " + limits.maxEntries() + " entries");
    }
    String rawName = pax.containsKey("path") ? pax.get("path") : longName;
    if (rawName == null) {
      rawName = headerName(block);
    }
    String rawLink = pax.containsKey("linkpath") ? pax.get("linkpath") : longLink;
    if (rawLink == null) {
      rawLink = cString(block, 157, 100);
    }
    if (pax.containsKey("size")) {
      size = parsePaxSize(pax.get("size"));
    }
    if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
      throw ArchiveException.invalid(
          "entry " + quote(rawName) + " is a sparse file (not supported)");
    }
    String name = checkName(index, rawName);
    Kind kind =
        switch (type) {
          case '0', '\0', '7' -> Kind.FILE;
          case '1' -> Kind.HARDLINK;
          case '2' -> Kind.SYMLINK;
          case '5' -> Kind.DIRECTORY;
          case '3', '4' ->
              throw ArchiveException.invalid("entry " + quote(rawName) + " is a device file");
          case '6' -> throw ArchiveException.invalid("entry " + quote(rawName) + " is a FIFO");
          default ->
              throw ArchiveException.invalid(
                  "entry "
                      + quote(rawName)
                      + " has unsupported type "
                      + quote(String.valueOf(type)));
        };
    if (rawName.endsWith("/") && kind == Kind.FILE && type == '\0') {
      kind = Kind.DIRECTORY;
    }
    int mode = (int) parseNumber(block, 100, 8);
    if ((mode & 06000) != 0) {
      throw ArchiveException.invalid(
          "entry " + quote(rawName) + " has the setuid or setgid bit set");
    }
    if (size < 0) {
      throw notTar();
    }
    if (size > limits.maxUncompressedBytes() - contentBytes) {
      throw ArchiveException.invalid(
          "artifact content exceeds "
              + limits.maxUncompressedBytes()
              + " bytes uncompressed (at entry "
              + quote(rawName)
              + ")");
    }
    contentBytes += size;
    remaining = size;
    padding = pad(size);

    if (name.isEmpty()) {
      if (kind != Kind.DIRECTORY) {
        throw ArchiveException.invalid("entry " + quote(rawName) + " has an empty name");
      }
      // The archive root ("./"), as written by `tar -C dir .`.
      return ROOT;
    }
    String linkTarget = null;
    if (kind == Kind.SYMLINK) {
      linkTarget = checkSymlink(rawName, name, rawLink);
    } else if (kind == Kind.HARDLINK) {
      linkTarget = checkHardlink(rawName, rawLink);
    }
    register(rawName, name, kind, kind == Kind.SYMLINK ? linkTarget : null);
    if (kind == Kind.SYMLINK) {
      symlinks.put(name, linkTarget);
    }
    current = new Entry(index, name, kind, size, mode, linkTarget);
    return current;
  }

  private String checkName(int index, String rawName) {
    if (rawName.getBytes(StandardCharsets.UTF_8).length > limits.maxEntryNameLength()) {
      throw ArchiveException.invalid(
          "entry #" + index + " has a name longer than " + limits.maxEntryNameLength() + " bytes");
    }
    if (rawName.indexOf('\0') >= 0) {
      throw ArchiveException.invalid("entry " + quote(rawName) + " has a NUL byte in its name");
    }
    if (rawName.startsWith("/")) {
      throw ArchiveException.invalid("entry " + quote(rawName) + " has an absolute name");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : rawName.split("/")) {
      if (segment.equals("..")) {
        throw ArchiveException.invalid("entry " + quote(rawName) + " has a \"..\" path segment");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    return String.join("/", segments);
  }

  private String checkSymlink(String rawName, String name, String target) {
    if (target.getBytes(StandardCharsets.UTF_8).length > limits.maxEntryNameLength()) {
      throw ArchiveException.invalid(
          "symlink "
              + quote(rawName)
              + " has a target longer than "
              + limits.maxEntryNameLength()
              + " bytes");
    }
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw ArchiveException.invalid("symlink " + quote(rawName) + " has an invalid target");
    }
    if (target.startsWith("/")) {
      throw ArchiveException.invalid(
          "symlink " + quote(rawName) + " has an absolute target " + quote(target));
    }
    int slash = name.lastIndexOf('/');
    String parent = slash < 0 ? "" : name.substring(0, slash);
    String joined = ProjectPaths.clean(parent + "/" + target);
    if (joined.equals("..") || joined.startsWith("../")) {
      throw escapes(rawName, target);
    }
    return target;
  }

  private String checkHardlink(String rawName, String target) {
    if (target.startsWith("/")) {
      throw ArchiveException.invalid(
          "hard link " + quote(rawName) + " has an absolute target " + quote(target));
    }
    List<String> segments = new ArrayList<>();
    for (String segment : target.split("/")) {
      if (segment.equals("..")) {
        throw ArchiveException.invalid(
            "hard link " + quote(rawName) + " points outside the archive root: " + quote(target));
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    String cleaned = String.join("/", segments);
    if (names.kindOf(cleaned) != Kind.FILE) {
      throw ArchiveException.invalid(
          "hard link "
              + quote(rawName)
              + " must point to an earlier regular file, not "
              + quote(target));
    }
    return cleaned;
  }

  private void register(String rawName, String name, Kind kind, String linkTarget) {
    String[] segments = name.split("/");
    int node = NameTree.ROOT;
    for (int i = 0; i < segments.length - 1; i++) {
      int child = names.child(node, segments[i]);
      if (child < 0) {
        child = names.add(node, segments[i], null, null, nodeBudget());
      } else if (names.kind(child) != null && names.kind(child) != Kind.DIRECTORY) {
        String ancestor = String.join("/", Arrays.copyOf(segments, i + 1));
        throw ArchiveException.invalid(
            "entry "
                + quote(rawName)
                + " is inside "
                + quote(ancestor)
                + ", which is not a directory");
      }
      node = child;
    }
    String last = segments[segments.length - 1];
    int existing = names.child(node, last);
    if (existing < 0) {
      names.add(node, last, kind, linkTarget, nodeBudget());
    } else if (names.kind(existing) == null) {
      // Known so far only as the parent of other entries.
      if (kind != Kind.DIRECTORY) {
        throw ArchiveException.invalid(
            "entry " + quote(rawName) + " is not a directory but other entries are inside it");
      }
      names.setKind(existing, Kind.DIRECTORY);
    } else if (names.kind(existing) != Kind.DIRECTORY || kind != Kind.DIRECTORY) {
      throw ArchiveException.invalid("duplicate entry " + quote(name));
    }
    if (kind != Kind.DIRECTORY) {
      fileNames.add(name);
    }
  }

  /**
   * Distinct path prefixes the archive may name: 64 per allowed entry, which no real project
   * approaches but which keeps deep, unique paths from filling the heap.
   */
  private long nodeBudget() {
    return (long) limits.maxEntries() * 64 + 1024;
  }

  /**
   * Follows {@code target} from the link's directory the way the kernel would on a fresh
   * extraction, through the archive's other symlinks. Paths the archive does not contain are plain
   * directories there, so below them only {@code ..} matters ({@code virtualDepth}). Work is
   * bounded per link ({@value #MAX_SYMLINK_HOPS} hops) and in total ({@code budget} steps).
   */
  private static void resolveInside(NameTree tree, String link, String target, long[] budget) {
    int node = tree.parentOf(tree.find(link));
    int virtualDepth = 0;
    Deque<String> todo = new ArrayDeque<>(List.of(target.split("/")));
    int hops = 0;
    while (!todo.isEmpty()) {
      if (--budget[0] < 0) {
        throw ArchiveException.invalid(
            "symlinks are too complex to verify (at symlink " + quote(link) + ")");
      }
      String segment = todo.pollFirst();
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (virtualDepth > 0) {
          virtualDepth--;
        } else if (node == NameTree.ROOT) {
          throw escapes(link, target);
        } else {
          node = tree.parentOf(node);
        }
        continue;
      }
      if (virtualDepth > 0) {
        virtualDepth++;
        continue;
      }
      int child = tree.child(node, segment);
      if (child < 0) {
        virtualDepth = 1;
      } else if (tree.linkTarget(child) != null) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw ArchiveException.invalid("symlink " + quote(link) + " is part of a symlink loop");
        }
        String[] parts = tree.linkTarget(child).split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          todo.addFirst(parts[i]);
        }
      } else {
        node = child;
      }
    }
  }

  /**
   * The archive's names as a tree of path segments: one node per distinct prefix, so checks and
   * symlink resolution cost one hash lookup per segment and memory grows with the segments, not
   * with every prefix string.
   */
  private static final class NameTree {
    static final int ROOT = 0;

    private record Key(int parent, String segment) {}

    private final Map<Key, Integer> children = new HashMap<>();
    private final List<Integer> parents = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();

    NameTree() {
      parents.add(-1);
      kinds.add(Kind.DIRECTORY);
      targets.add(null);
    }

    int add(int parent, String segment, Kind kind, String target, long budget) {
      if (parents.size() >= budget) {
        throw ArchiveException.invalid(
            "artifact names more than " + budget + " distinct paths and directories");
      }
      int node = parents.size();
      parents.add(parent);
      kinds.add(kind);
      targets.add(target);
      children.put(new Key(parent, segment), node);
      return node;
    }

    int child(int node, String segment) {
      Integer next = children.get(new Key(node, segment));
      return next == null ? -1 : next;
    }

    int find(String name) {
      int node = ROOT;
      for (String segment : name.split("/")) {
        node = child(node, segment);
        if (node < 0) {
          return -1;
        }
      }
      return node;
    }

    /** The kind of the entry with this cleaned name; {@code null} if there is no such entry. */
    Kind kindOf(String name) {
      int node = find(name);
      return node < 0 ? null : kinds.get(node);
    }

    Kind kind(int node) {
      return kinds.get(node);
    }

    void setKind(int node, Kind kind) {
      kinds.set(node, kind);
    }

    int parentOf(int node) {
      return parents.get(node);
    }

    String linkTarget(int node) {
      return targets.get(node);
    }
  }

  private static ArchiveException escapes(String link, String target) {
    return ArchiveException.invalid(
        "symlink " + quote(link) + " points outside the archive root: " + quote(target));
  }

  private static ArchiveException notTar() {
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
    String name = current == null ? "(header)" : current.name();
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
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
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
