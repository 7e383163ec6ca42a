package dev.minitower.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Just enough PromQL reading to list the series selectors of an expression: metric names and the
 * label names their matchers use. Functions, aggregation modifiers ({@code by}, {@code without},
 * {@code on}, {@code ignoring}, {@code group_left/right}), operators, numbers, durations and
 * strings are skipped.
 */
final class PromQl {
  record Selector(String metric, Set<String> labels) {}

  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "avg",
          "min",
          "max",
          "count",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "group",
          "limitk",
          "limit_ratio");
  private static final Set<String> WORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");

  private PromQl() {}

  static List<Selector> selectors(String expr) {
    List<Selector> found = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1;
      } else if (c == '{') {
        // A selector without a metric name, e.g. {__name__=~"minitower_.*"}.
        int end = matchers(expr, i, new LinkedHashSet<>());
        found.add(new Selector("", Set.of()));
        i = end;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(expr.charAt(i)) || "_:".indexOf(expr.charAt(i)) >= 0)) {
          i++;
        }
        String word = expr.substring(start, i);
        int j = i;
        while (j < n && Character.isWhitespace(expr.charAt(j))) {
          j++;
        }
        boolean call = j < n && expr.charAt(j) == '(';
        if (GROUPING.contains(word)) {
          if (call) {
            i = expr.indexOf(')', j) + 1;
          }
        } else if (call || AGGREGATIONS.contains(word) || WORDS.contains(word.toLowerCase())) {
          // function name or keyword
        } else {
          Set<String> labels = new LinkedHashSet<>();
          if (j < n && expr.charAt(j) == '{') {
            i = matchers(expr, j, labels);
          }
          found.add(new Selector(word, labels));
        }
      } else if (Character.isDigit(c) || c == '.') {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
      } else {
        i++;
      }
    }
    return found;
  }

  private static int skipString(String expr, int i) {
    char quote = expr.charAt(i);
    int j = i + 1;
    while (j < expr.length() && expr.charAt(j) != quote) {
      j += expr.charAt(j) == '\\' ? 2 : 1;
    }
    return j + 1;
  }

  /** Reads {@code {a="x", b=~"y"}} from the brace at {@code i}; returns the index after it. */
  private static int matchers(String expr, int i, Set<String> labels) {
    int j = i + 1;
    while (j < expr.length() && expr.charAt(j) != '}') {
      char c = expr.charAt(j);
      if (c == '"' || c == '\'' || c == '`') {
        j = skipString(expr, j);
      } else if (Character.isLetter(c) || c == '_') {
        int start = j;
        while (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_') {
          j++;
        }
        labels.add(expr.substring(start, j));
      } else {
        j++;
      }
    }
    return j + 1;
  }
}
