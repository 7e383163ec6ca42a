package dev.minitower.model.towerfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Resolves a Towerfile's {@code source} patterns to the project files they select ({@code
 * docs/spec/towerfile-and-runner.md} §2.1).
 *
 * <p>Results are root-relative paths with {@code /} separators and no {@code ./}, de-duplicated
 * across patterns and sorted byte-wise (UTF-8) ascending. Only regular files and symlinks are
 * returned, never directories. Hidden paths (a segment starting with {@code .}) are returned only
 * by patterns that name a hidden segment themselves. Symlinks are kept as symlinks but their target
 * must resolve inside the project directory.
 *
 * <p>Deliberate difference from the original: directories reached through a symlink are not
 * descended into (the link itself may be selected), so symlink loops cannot hang packaging and
 * linked trees are not packaged twice.
 */
public final class SourceGlobs {

  /** Patterns the packager uses when the Towerfile has no {@code source}. */
  public static final List<String> DEFAULT_SOURCE = List.of("./**");

  /** Byte-wise ascending order of the UTF-8 encodings, as Go sorts strings. */
  public static final Comparator<String> BYTE_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private SourceGlobs() {}

  /**
   * The files the Towerfile selects for packaging: its {@code source} patterns, or {@link
   * #DEFAULT_SOURCE} when it declares none.
   *
   * @throws SourceGlobException for an escaping or malformed pattern or an escaping symlink
   * @throws IOException when the project directory cannot be read
   */
  public static List<String> resolve(Path dir, Towerfile tf) throws IOException {
    return resolve(dir, tf.source().isEmpty() ? DEFAULT_SOURCE : tf.source());
  }

  /**
   * The files selected by exactly these patterns; an empty list selects nothing.
   *
   * @throws SourceGlobException for an escaping or malformed pattern or an escaping symlink
   * @throws IOException when the project directory cannot be read
   */
  public static List<String> resolve(Path dir, List<String> patterns) throws IOException {
    List<GlobPattern> globs = new ArrayList<>();
    for (String pattern : patterns) {
      globs.add(GlobPattern.compile(pattern));
    }
    if (globs.isEmpty()) {
      return List.of();
    }
    boolean anyHidden = globs.stream().anyMatch(GlobPattern::includesHidden);
    Path root = dir.toAbsolutePath().normalize();
    Path realRoot = root.toRealPath();
    TreeSet<String> selected = new TreeSet<>(BYTE_ORDER);
    Files.walkFileTree(
        realRoot,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (!anyHidden && !d.equals(realRoot) && d.getFileName().toString().startsWith(".")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
              return FileVisitResult.CONTINUE;
            }
            String relative = toSlashes(realRoot.relativize(file));
            String[] segments = relative.split("/");
            boolean hidden = Arrays.stream(segments).anyMatch(s -> s.startsWith("."));
            for (GlobPattern glob : globs) {
              if ((!hidden || glob.includesHidden()) && glob.matches(segments)) {
                if (attrs.isSymbolicLink()) {
                  checkSymlink(realRoot, file, relative);
                }
                selected.add(relative);
                break;
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return List.copyOf(selected);
  }

  private static void checkSymlink(Path realRoot, Path link, String relative)
      throws SourceGlobException {
    Path target;
    try {
      target = link.toRealPath();
    } catch (NoSuchFileException e) {
      throw new SourceGlobException(
          "symlink " + GoQuoting.quote(relative) + " points to a missing target");
    } catch (IOException e) {
      throw new SourceGlobException(
          "symlink " + GoQuoting.quote(relative) + " cannot be resolved: " + e.getMessage());
    }
    if (!target.startsWith(realRoot)) {
      throw new SourceGlobException(
          "symlink " + GoQuoting.quote(relative) + " points outside the project root");
    }
  }

  static String toSlashes(Path relative) {
    StringBuilder sb = new StringBuilder();
    for (Path part : relative) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }
}
