package dev.minitower.model.artifact;

import static dev.minitower.model.towerfile.GoQuoting.quote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Extracts an artifact into a directory under the same rules as {@link ArchiveInspector}.
 *
 * <p>Regular files get mode 0755 when any execute bit is set in the archive, else 0644; directories
 * 0755; setuid/setgid archives are refused. Hard links are written as copies of their (earlier)
 * target. Symlinks are created last, after the whole archive has been checked, so no file is ever
 * written through a link from the archive; an existing symlink in the destination is never followed
 * (the extraction fails instead). A Towerfile is not required.
 *
 * <p>On failure the destination may hold a partial tree: extract into a fresh directory and delete
 * it when this throws.
 */
public final class SafeExtractor {

  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> READ_WRITE =
      PosixFilePermissions.fromString("rw-r--r--");

  private SafeExtractor() {}

  /**
   * Extracts {@code tarGz} below {@code destDir} (created if missing).
   *
   * @return what was extracted; {@code towerfileText} is {@code null} when the archive has no root
   *     Towerfile or it is larger than {@link ArchiveLimits#maxTowerfileBytes()}
   * @throws ArchiveException when the artifact is unsafe or malformed
   * @throws IOException when reading {@code tarGz} or writing the files fails
   */
  public static ArchiveContents extract(InputStream tarGz, Path destDir, ArchiveLimits limits)
      throws IOException {
    Files.createDirectories(destDir);
    Path root = destDir.toRealPath();
    return TarStream.unwrapSource(
        () -> {
          try (TarGzReader reader = TarGzReader.open(tarGz, limits)) {
            String towerfile = null;
            List<TarGzReader.Entry> links = new ArrayList<>();
            TarGzReader.Entry entry;
            while ((entry = reader.next()) != null) {
              Path target = root.resolve(entry.name());
              switch (entry.kind()) {
                case DIRECTORY -> ensureDirectory(root, entry.name());
                case FILE -> {
                  ensureDirectory(root, parentOf(entry.name()));
                  byte[] captured = writeFile(reader, entry, target, limits);
                  if (captured != null) {
                    towerfile = ArchiveInspector.decodeTowerfile(captured);
                  }
                }
                case HARDLINK -> {
                  ensureDirectory(root, parentOf(entry.name()));
                  Path source = root.resolve(entry.linkTarget());
                  replaceable(target, entry.name());
                  Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
                  setMode(target, Files.isExecutable(source));
                }
                case SYMLINK -> links.add(entry);
              }
            }
            reader.finish();
            for (TarGzReader.Entry link : links) {
              ensureDirectory(root, parentOf(link.name()));
              Path target = root.resolve(link.name());
              replaceable(target, link.name());
              Files.createSymbolicLink(target, Path.of(link.linkTarget()));
            }
            return new ArchiveContents(
                towerfile, reader.fileNames(), reader.entryCount(), reader.contentBytes());
          }
        });
  }

  private static byte[] writeFile(
      TarGzReader reader, TarGzReader.Entry entry, Path target, ArchiveLimits limits)
      throws IOException {
    replaceable(target, entry.name());
    boolean capture =
        entry.name().equals(ArchiveInspector.TOWERFILE)
            && entry.size() <= limits.maxTowerfileBytes();
    ByteArrayOutputStream copy = capture ? new ByteArrayOutputStream((int) entry.size()) : null;
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      InputStream in = reader.content();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (copy != null) {
          copy.write(buffer, 0, n);
        }
      }
    }
    setMode(target, (entry.mode() & 0111) != 0);
    return copy == null ? null : copy.toByteArray();
  }

  /** Deletes an existing regular file at {@code target}; anything else there is an error. */
  private static void replaceable(Path target, String name) throws IOException {
    if (Files.isSymbolicLink(target)) {
      throw ArchiveException.invalid(
          "entry " + quote(name) + " would be written through an existing symlink");
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "is a directory");
    }
    Files.deleteIfExists(target);
  }

  /** Creates each missing directory of {@code relative} below root, refusing existing symlinks. */
  private static void ensureDirectory(Path root, String relative) throws IOException {
    if (relative.isEmpty()) {
      return;
    }
    Path current = root;
    for (String segment : relative.split("/")) {
      current = current.resolve(segment);
      if (Files.isSymbolicLink(current)) {
        throw ArchiveException.invalid(
            "entry " + quote(relative) + " would be written through an existing symlink");
      }
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
          throw new FileAlreadyExistsException(current.toString(), null, "is not a directory");
        }
        Files.createDirectory(current);
        setMode(current, true);
      }
    }
  }

  private static String parentOf(String name) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? "" : name.substring(0, slash);
  }

  private static void setMode(Path path, boolean executable) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      view.setPermissions(executable ? EXECUTABLE : READ_WRITE);
    }
  }
}
