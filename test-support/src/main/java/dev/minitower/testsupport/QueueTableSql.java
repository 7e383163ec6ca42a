package dev.minitower.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds SQL over the queue tables ({@code runs}, {@code run_attempts}, {@code run_attempt_secrets},
 * {@code run_logs}, {@code runners}, {@code outbox}) in Java sources: run-store owns all of it
 * (docs/architecture.md), so a service's main code must have none. Looks only at string literals
 * and text blocks (comments and code are skipped); literals joined by {@code +} are read as one, so
 * a statement split over lines is still seen. {@code run_attempts}, {@code run_attempt_secrets} and
 * {@code run_logs} count anywhere in a literal; {@code runs}, {@code runners} and {@code outbox}
 * only where SQL names a table ({@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code
 * TABLE}, {@code TRUNCATE}, or a {@code FROM} list), so prose such as a log line's "stale runners"
 * passes. The CRUD tables (teams, apps, environments, schedules, secrets, tokens) are not matched.
 */
public final class QueueTableSql {
  private QueueTableSql() {}

  private static final String QUEUE =
      "(runs|run_attempts|run_attempt_secrets|run_logs|runners|outbox)";

  private static final List<Pattern> PATTERNS =
      List.of(
          Pattern.compile("\\brun_(attempts|attempt_secrets|logs)\\b"),
          Pattern.compile(
              "\\b(from|join|into|update|table|truncate)\\s+(only\\s+)?" + QUEUE + "\\b"),
          Pattern.compile("\\bfrom\\s+\\w+(\\s+(as\\s+)?\\w+)?\\s*,\\s*" + QUEUE + "\\b"));

  /** Each offending literal under {@code root} as {@code path: literal}; empty when none. */
  public static List<String> in(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      List<String> out = new ArrayList<>();
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        for (String literal : in(Files.readString(p))) {
          out.add(root.relativize(p) + ": " + literal);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The string expressions of one source text that name a queue table as SQL does. */
  public static List<String> in(String source) {
    List<String> out = new ArrayList<>();
    for (String text : literals(source)) {
      String lower = text.toLowerCase(Locale.ROOT);
      if (PATTERNS.stream().anyMatch(p -> p.matcher(lower).find())) {
        out.add(text);
      }
    }
    return out;
  }

  /**
   * The string literals and text blocks of a source, those joined by {@code +} (with nothing but
   * whitespace and comments between) concatenated into one.
   */
  static List<String> literals(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    boolean joinNext = false;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        i = s.indexOf('\n', i);
        i = i < 0 ? n : i;
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'') {
        i = skipQuoted(s, i, '\'');
      } else if (c == '"') {
        int end;
        String text;
        if (s.startsWith("\"\"\"", i)) {
          int close = s.indexOf("\"\"\"", i + 3);
          end = close < 0 ? n : close + 3;
          text = s.substring(i + 3, close < 0 ? n : close);
        } else {
          end = skipQuoted(s, i, '"');
          text = s.substring(i + 1, Math.max(i + 1, end - 1));
        }
        if (current != null && joinNext) {
          current.append(text);
        } else {
          if (current != null) {
            out.add(current.toString());
          }
          current = new StringBuilder(text);
        }
        joinNext = false;
        i = end;
      } else if (c == '+' && current != null) {
        joinNext = true;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else {
        if (current != null) {
          out.add(current.toString());
          current = null;
        }
        joinNext = false;
        i++;
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out;
  }

  /** The index after the closing quote of the literal opening at {@code start}. */
  private static int skipQuoted(String s, int start, char quote) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote || c == '\n') {
        return i + 1;
      } else {
        i++;
      }
    }
    return s.length();
  }
}
