package dev.minitower.model.artifact;

import static dev.minitower.model.towerfile.GoQuoting.quote;

import dev.minitower.model.towerfile.ProjectPaths;
import java.io.IOException;
import java.io.InputStream;
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

/**
 * Streaming reader for gzip-compressed tar artifacts that enforces the artifact safety rules on
 * every header before any content of that entry is read. The tar format itself (headers, extended
 * headers, their bounds) is {@link TarStream}'s; this class holds the rules.
 *
 * <p>Bounds: names by {@link ArchiveLimits#maxEntryNameLength()}, content by {@link
 * ArchiveLimits#maxUncompressedBytes()} and the entry count by {@link ArchiveLimits#maxEntries()}.
 * Names are kept as a tree of segments with at most 64 distinct prefixes per allowed entry, and
 * symlink resolution has a global step budget.
 *
 * <p>Rules: no absolute names, no {@code ..} segments, no duplicates (a directory may repeat), no
 * entry below a non-directory, no device files, FIFOs or other special types, no sparse files, no
 * setuid/setgid bits, hard links only to an earlier regular file, symlinks only to relative targets
 * that resolve inside the root. Symlink targets are first checked lexically, and once the whole
 * archive has been read {@link #finish()} resolves every symlink through the others (as a fresh
 * extraction would), which catches chains such as {@code a/s -> ..} plus {@code l -> a/s/..}.
 */
final class TarGzReader implements AutoCloseable {

  private static final int MAX_SYMLINK_HOPS = 40;
  private static final long MAX_RESOLVE_STEPS = 2_000_000L;

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
  private final TarStream tar;

  private int entryCount;
  private long contentBytes;
  private Entry current;

  private final NameTree names = new NameTree();
  private final Map<String, String> symlinks = new LinkedHashMap<>();
  private final TreeSet<String> fileNames = new TreeSet<>();

  private TarGzReader(ArchiveLimits limits, TarStream tar) {
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
    return new TarGzReader(limits, TarStream.open(raw, limits));
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
    current = null;
    TarStream.Header header = tar.next();
    return header == null ? null : accept(header);
  }

  /** The content of the entry last returned by {@link #next()}; empty for non-files. */
  InputStream content() {
    Entry entry = current;
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return TarStream.readOneByte(this);
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (entry == null || entry.kind() != Kind.FILE || current != entry) {
          return -1;
        }
        return tar.readContent(b, off, len);
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

  private Entry accept(TarStream.Header header) {
    int index = ++entryCount;
    if (index > limits.maxEntries()) {
      throw ArchiveException.invalid("artifact has more than " + limits.maxEntries() + " entries");
    }
    char type = header.type();
    String rawName = header.name();
    String rawLink = header.link();
    long size = header.size();
    if (header.pax().keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
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
    int mode = header.mode();
    if ((mode & 06000) != 0) {
      throw ArchiveException.invalid(
          "entry " + quote(rawName) + " has the setuid or setgid bit set");
    }
    if (size < 0) {
      throw TarStream.notTar();
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

    if (name.isEmpty()) {
      if (kind != Kind.DIRECTORY) {
        throw ArchiveException.invalid("entry " + quote(rawName) + " has an empty name");
      }
      // The archive root ("./"), as written by `tar -C dir .`.
      tar.content(size, null);
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
    tar.content(size, name);
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
}
