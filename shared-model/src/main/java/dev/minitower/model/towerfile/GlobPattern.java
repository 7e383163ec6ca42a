package dev.minitower.model.towerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * One source pattern in the doublestar v4 dialect, matched against root-relative file paths.
 *
 * <p>{@code *} matches any run of characters within a segment (leading dots included), {@code ?}
 * one character, {@code [...]} a class ({@code [!...]} or {@code [^...]} negated, ranges with
 * {@code -}), {@code \} escapes the next character, {@code {a,b}} alternatives (expanded before
 * matching, so they may span segments) and a whole {@code **} segment matches zero or more
 * directories. Matching is case-sensitive.
 */
final class GlobPattern {

  /** Upper bound on brace expansions of one pattern, so {@code {a,b}{c,d}…} cannot explode. */
  static final int MAX_EXPANSIONS = 1024;

  private final List<String[]> alternatives;
  private final boolean includesHidden;

  private GlobPattern(List<String[]> alternatives, boolean includesHidden) {
    this.alternatives = alternatives;
    this.includesHidden = includesHidden;
  }

  /**
   * Compiles a Towerfile source pattern. The pattern is joined to the project root lexically, so
   * {@code ./x}, {@code x} and {@code /x} are the same pattern.
   *
   * @throws SourceGlobException if the pattern escapes the root or is malformed
   */
  static GlobPattern compile(String pattern) throws SourceGlobException {
    if (ProjectPaths.escapesRoot(pattern)) {
      throw new SourceGlobException(
          "source pattern " + GoQuoting.quote(pattern) + " escapes the project root");
    }
    List<String> expanded = new ArrayList<>();
    expand(pattern, expanded);
    List<String[]> alternatives = new ArrayList<>();
    for (String alternative : expanded) {
      String relative = ProjectPaths.relativeToRoot(alternative);
      String[] segments = relative.isEmpty() ? new String[0] : relative.split("/");
      for (String segment : segments) {
        checkSyntax(pattern, segment);
      }
      alternatives.add(segments);
    }
    return new GlobPattern(alternatives, mentionsHidden(pattern));
  }

  /**
   * Whether some segment of the pattern, ignoring a first segment that is exactly {@code .}, begins
   * with a dot; only such patterns may select hidden files (docs/spec/towerfile-and-runner.md
   * §2.1).
   */
  boolean includesHidden() {
    return includesHidden;
  }

  /** Whether the root-relative path (segments) is selected by this pattern. */
  boolean matches(String[] path) {
    for (String[] segments : alternatives) {
      if (matchSegments(segments, 0, path, 0)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentionsHidden(String pattern) {
    String[] segments = pattern.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i == 0 && segments[i].equals(".")) {
        continue;
      }
      if (segments[i].startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchSegments(String[] pattern, int pi, String[] path, int si) {
    while (pi < pattern.length) {
      if (pattern[pi].equals("**")) {
        // Collapse consecutive ** segments, then try every possible number of skipped directories.
        while (pi + 1 < pattern.length && pattern[pi + 1].equals("**")) {
          pi++;
        }
        if (pi + 1 == pattern.length) {
          return true;
        }
        for (int skip = si; skip < path.length; skip++) {
          if (matchSegments(pattern, pi + 1, path, skip)) {
            return true;
          }
        }
        return false;
      }
      if (si >= path.length || !matchSegment(pattern[pi], path[si])) {
        return false;
      }
      pi++;
      si++;
    }
    return si == path.length;
  }

  /**
   * Matches one segment with the linear wildcard algorithm (one backtrack point for the last {@code
   * *}); {@code *} never crosses a {@code /} because segments contain none.
   */
  private static boolean matchSegment(String p, String s) {
    int pi = 0;
    int si = 0;
    int starP = -1;
    int starS = -1;
    while (si < s.length()) {
      if (pi < p.length()) {
        if (p.charAt(pi) == '*') {
          starP = ++pi;
          starS = si;
          continue;
        }
        int next = matchOne(p, pi, s, si);
        if (next >= 0) {
          pi = next;
          si += Character.charCount(s.codePointAt(si));
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      starS += Character.charCount(s.codePointAt(starS));
      si = starS;
      pi = starP;
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /**
   * Matches the single pattern element at {@code pi} (not {@code *}) against the character at
   * {@code si}; returns the index after the element, or -1.
   */
  private static int matchOne(String p, int pi, String s, int si) {
    int cp = s.codePointAt(si);
    char c = p.charAt(pi);
    if (c == '?') {
      return pi + 1;
    }
    if (c == '[') {
      int end = classEnd(p, pi);
      return classMatches(p, pi + 1, end, cp) ? end + 1 : -1;
    }
    if (c == '\\') {
      pi++;
    }
    int pc = p.codePointAt(pi);
    return pc == cp ? pi + Character.charCount(pc) : -1;
  }

  /** Index of the {@code ]} closing the class that opens at {@code open}. */
  private static int classEnd(String p, int open) {
    int i = open + 1;
    if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
      i++;
    }
    boolean first = true;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ']' && !first) {
        return i;
      }
      if (c == '\\') {
        i++;
      }
      first = false;
      i++;
    }
    return -1;
  }

  private static boolean classMatches(String p, int from, int end, int cp) {
    boolean negated = false;
    int i = from;
    if (p.charAt(i) == '!' || p.charAt(i) == '^') {
      negated = true;
      i++;
    }
    boolean matched = false;
    while (i < end) {
      int lo = p.codePointAt(i);
      if (lo == '\\') {
        i++;
        lo = p.codePointAt(i);
      }
      i += Character.charCount(lo);
      int hi = lo;
      if (i + 1 < end && p.charAt(i) == '-') {
        i++;
        hi = p.codePointAt(i);
        if (hi == '\\') {
          i++;
          hi = p.codePointAt(i);
        }
        i += Character.charCount(hi);
      }
      if (lo <= cp && cp <= hi) {
        matched = true;
      }
    }
    return matched != negated;
  }

  private static void checkSyntax(String original, String segment) throws SourceGlobException {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '\\') {
        if (i + 1 >= segment.length()) {
          throw bad(original, "trailing backslash");
        }
        i++;
      } else if (c == '[') {
        int end = classEnd(segment, i);
        if (end < 0) {
          throw bad(original, "unterminated character class");
        }
        String body = segment.substring(i + 1, end);
        if (body.startsWith("!") || body.startsWith("^")) {
          body = body.substring(1);
        }
        if (body.isEmpty()) {
          throw bad(original, "empty character class");
        }
        i = end;
      }
    }
  }

  private static SourceGlobException bad(String pattern, String reason) {
    return new SourceGlobException(
        "source pattern " + GoQuoting.quote(pattern) + " is not a valid glob: " + reason);
  }

  /** Expands the first top-level brace group, recursively, honouring escapes and classes. */
  private static void expand(String pattern, List<String> out) throws SourceGlobException {
    int open = -1;
    int depth = 0;
    List<Integer> commas = new ArrayList<>();
    int close = -1;
    for (int i = 0; i < pattern.length() && close < 0; i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[' && open < 0) {
        int end = classEnd(pattern, i);
        if (end > 0) {
          i = end;
        }
      } else if (c == '{') {
        if (depth == 0) {
          open = i;
        }
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
        if (depth == 0) {
          close = i;
        }
      } else if (c == ',' && depth == 1) {
        commas.add(i);
      }
    }
    if (open < 0) {
      add(pattern, out);
      return;
    }
    if (close < 0) {
      throw bad(pattern, "unterminated {");
    }
    String prefix = pattern.substring(0, open);
    String suffix = pattern.substring(close + 1);
    int start = open + 1;
    commas.add(close);
    for (int comma : commas) {
      expand(prefix + pattern.substring(start, comma) + suffix, out);
      start = comma + 1;
    }
  }

  private static void add(String expanded, List<String> out) throws SourceGlobException {
    if (out.size() >= MAX_EXPANSIONS) {
      throw new SourceGlobException(
          "source pattern expands to more than " + MAX_EXPANSIONS + " alternatives");
    }
    out.add(expanded);
  }
}
