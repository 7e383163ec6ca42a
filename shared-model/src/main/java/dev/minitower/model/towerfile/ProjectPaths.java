package dev.minitower.model.towerfile;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lexical path rules shared by the Towerfile validator, the source resolver and the packager. All
 * paths use {@code /} as separator, as in the Towerfile and in tar entry names.
 */
public final class ProjectPaths {

  private ProjectPaths() {}

  /**
   * Lexically cleans a path like Go's {@code path.Clean}: collapses repeated separators, removes
   * {@code .} segments and resolves {@code ..} against the preceding segment. Leading {@code ..}
   * segments of a relative path are kept; on a rooted path they are dropped. The empty path cleans
   * to {@code .}.
   */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> out = new ArrayDeque<>();
    int leadingDotDots = 0;
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (!out.isEmpty()) {
          out.removeLast();
        } else if (!rooted) {
          leadingDotDots++;
        }
        continue;
      }
      out.addLast(segment);
    }
    StringBuilder sb = new StringBuilder();
    if (rooted) {
      sb.append('/');
    }
    for (int i = 0; i < leadingDotDots; i++) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '/') {
        sb.append('/');
      }
      sb.append("..");
    }
    for (String segment : out) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '/') {
        sb.append('/');
      }
      sb.append(segment);
    }
    return sb.length() == 0 ? "." : sb.toString();
  }

  /**
   * Whether a Towerfile path escapes the project root (docs/spec/towerfile-and-runner.md §1.2):
   * after cleaning it starts with {@code ..} (a prefix test, so {@code ..foo} counts too) or has a
   * {@code ..} segment. Absolute paths do not escape: they are later joined under the project
   * directory.
   */
  public static boolean escapesRoot(String path) {
    String cleaned = clean(path);
    if (cleaned.startsWith("..")) {
      return true;
    }
    for (String segment : cleaned.split("/")) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The root-relative form of a path that is joined under the project directory: {@code ./x},
   * {@code x} and {@code /x} all become {@code x}; the root itself becomes the empty string.
   */
  public static String relativeToRoot(String path) {
    String cleaned = clean("/" + path);
    return cleaned.equals("/") ? "" : cleaned.substring(1);
  }
}
