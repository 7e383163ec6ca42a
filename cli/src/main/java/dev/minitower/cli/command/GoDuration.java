package dev.minitower.cli.command;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as the original CLI's Go flags did: {@code 2s}, {@code 500ms}, {@code 1m30s},
 * {@code 1.5s}. A bare number is taken as seconds (Go would reject it; being lenient costs
 * nothing).
 */
final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  static Duration parse(String text) {
    String s = text.trim();
    if (s.matches("\\d+(\\.\\d+)?")) {
      return toDuration(new BigDecimal(s).multiply(BigDecimal.valueOf(1_000_000_000L)));
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      BigDecimal v = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(v.multiply(BigDecimal.valueOf(unit)));
      pos = m.end();
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    return toDuration(nanos);
  }

  private static Duration toDuration(BigDecimal nanos) {
    return Duration.ofNanos(nanos.longValue());
  }
}
