package dev.minitower.model.artifact;

import static dev.minitower.model.towerfile.GoQuoting.quote;

import dev.minitower.model.towerfile.ProjectPaths;
import dev.minitower.model.towerfile.SourceGlobException;
import dev.minitower.model.towerfile.SourceGlobs;
import dev.minitower.model.towerfile.Towerfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Packages a project directory into an artifact ({@code docs/spec/towerfile-and-runner.md} §2.2),
 * with two deliberate differences from the original:
 *
 * <ul>
 *   <li>the Towerfile is always the <b>first</b> entry (the original appended it last, so servers
 *       that only scan the first 50 entries could miss it);
 *   <li>the output is reproducible: entries sorted byte-wise, fixed mtime ({@value
 *       #MTIME_EPOCH_SECONDS} = 1980-01-01), uid/gid 0 without owner names, modes normalised to
 *       0644/0755 (0777 for symlinks) and a gzip header without name or time, so the same files
 *       give the same SHA-256.
 * </ul>
 *
 * <p>Symlinks are packaged as symlink entries; absolute targets (allowed on disk when they point
 * inside the project) are rewritten as relative ones so the archive passes {@link
 * ArchiveInspector}.
 */
public final class ArtifactPackager {

  /** Modification time written on every entry: 1980-01-01T00:00:00Z. */
  public static final long MTIME_EPOCH_SECONDS = 315_532_800L;

  private ArtifactPackager() {}

  /**
   * Writes the artifact for {@code tf}, whose text ({@link Towerfile#rawToml()}) becomes the {@code
   * Towerfile} entry, plus every file its {@code source} patterns select in {@code dir}.
   *
   * @throws PackagingException when sources cannot be resolved or the script is not among them
   * @throws IOException when reading the project or writing {@code out} fails
   */
  public static void pack(Path dir, Towerfile tf, OutputStream out) throws IOException {
    List<String> files;
    try {
      files = SourceGlobs.resolve(dir, tf);
    } catch (SourceGlobException e) {
      throw new PackagingException("resolving source: " + e.getMessage(), e);
    }
    String script = ProjectPaths.relativeToRoot(tf.script());
    if (!files.contains(script)) {
      throw new PackagingException(
          "script " + quote(tf.script()) + " is not matched by any source pattern");
    }
    checkLimits(files);
    byte[] towerfile = towerfileBytes(dir, tf);
    Path root = dir.toAbsolutePath().normalize().toRealPath();

    GzipParameters gzip = new GzipParameters();
    gzip.setCompressionLevel(Deflater.DEFAULT_COMPRESSION);
    gzip.setModificationTime(0);
    gzip.setOperatingSystem(3);
    GzipCompressorOutputStream compressed = new GzipCompressorOutputStream(nonClosing(out), gzip);
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(compressed, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);

      TarArchiveEntry first = entry(ArchiveInspector.TOWERFILE, TarConstants.LF_NORMAL, 0644);
      first.setSize(towerfile.length);
      tar.putArchiveEntry(first);
      tar.write(towerfile);
      tar.closeArchiveEntry();

      for (String name : files) {
        if (name.equals(ArchiveInspector.TOWERFILE)) {
          continue;
        }
        Path file = root.resolve(name);
        if (Files.isSymbolicLink(file)) {
          TarArchiveEntry link = entry(name, TarConstants.LF_SYMLINK, 0777);
          link.setLinkName(relativeTarget(root, name, file));
          tar.putArchiveEntry(link);
          tar.closeArchiveEntry();
        } else {
          boolean executable =
              Files.isExecutable(file) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
          TarArchiveEntry regular = entry(name, TarConstants.LF_NORMAL, executable ? 0755 : 0644);
          regular.setSize(Files.size(file));
          tar.putArchiveEntry(regular);
          try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long copied = in.transferTo(tar);
            if (copied != regular.getSize()) {
              throw new PackagingException("file " + quote(name) + " changed while packaging");
            }
          }
          tar.closeArchiveEntry();
        }
      }
      tar.finish();
    }
    out.flush();
  }

  /** Refuses projects the server would refuse anyway, before anything is uploaded. */
  private static void checkLimits(List<String> files) throws PackagingException {
    ArchiveLimits limits = ArchiveLimits.defaults();
    int entries = files.size() + (files.contains(ArchiveInspector.TOWERFILE) ? 0 : 1);
    if (entries > limits.maxEntries()) {
      throw new PackagingException(
          "the sources select "
              + entries
              + " files; an artifact may hold at most "
              + limits.maxEntries());
    }
    for (String name : files) {
      if (name.getBytes(StandardCharsets.UTF_8).length > limits.maxEntryNameLength()) {
        throw new PackagingException(
            "path "
                + quote(name)
                + " is longer than "
                + limits.maxEntryNameLength()
                + " bytes, the artifact limit");
      }
    }
  }

  private static byte[] towerfileBytes(Path dir, Towerfile tf) throws IOException {
    if (tf.rawToml() != null) {
      return tf.rawToml().getBytes(StandardCharsets.UTF_8);
    }
    return Files.readAllBytes(dir.resolve(ArchiveInspector.TOWERFILE));
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, false);
    entry.setMode((type == TarConstants.LF_SYMLINK ? 0120000 : 0100000) | mode);
    entry.setModTime(MTIME_EPOCH_SECONDS * 1000);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    return entry;
  }

  /**
   * The link target as stored in the archive: the on-disk text when it is relative and stays inside
   * the root lexically, otherwise a relative path to the link's real target (which {@link
   * SourceGlobs} has already checked to be inside the project).
   */
  private static String relativeTarget(Path root, String name, Path link) throws IOException {
    String onDisk = Files.readSymbolicLink(link).toString();
    int slash = name.lastIndexOf('/');
    String parent = slash < 0 ? "" : name.substring(0, slash);
    if (!onDisk.startsWith("/")) {
      String joined = ProjectPaths.clean(parent + "/" + onDisk);
      if (!joined.equals("..") && !joined.startsWith("../")) {
        return onDisk;
      }
    }
    Path real = link.toRealPath();
    Path relative = root.resolve(parent).relativize(real);
    String text = relative.toString().replace('\\', '/');
    return text.isEmpty() ? "." : text;
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
