package dev.minitower.model.time;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations in the syntax of Go's {@code time.ParseDuration}, which the original's flags and {@code
 * MINITOWER_*} settings use: an optional sign, then one or more decimal numbers (a fraction
 * allowed) each with a unit ({@code ns}, {@code us}/{@code µs}/{@code μs}, {@code ms}, {@code s},
 * {@code m}, {@code h}), as in {@code 1.5m}, {@code 1h30m}, {@code -250ms}; {@code 0} alone needs
 * no unit. Like Go, a total beyond ±292 years (a signed 64-bit count of nanoseconds) is an error,
 * never a silently wrapped value.
 */
public final class GoDuration {
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

  private GoDuration() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with Go's message ({@code time: invalid duration "x"}, {@code
   *     time: missing unit in duration "x"}, {@code time: unknown unit "d" in duration "x"}) when
   *     the text is not a duration or is out of range
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw invalid("");
    }
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigInteger total = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      String whole = s.substring(start, i);
      // The fraction as Go reads it: digits past what fits in 63 bits are dropped, and the
      // fraction times the unit is computed in float64 (exact to the nanosecond for hours).
      long fraction = 0;
      double scale = 1;
      boolean fractionDigits = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          fractionDigits = true;
          if (!overflow && fraction <= (Long.MAX_VALUE - 9) / 10) {
            fraction = fraction * 10 + (s.charAt(i) - '0');
            scale *= 10;
          } else {
            overflow = true;
          }
          i++;
        }
      }
      if (whole.isEmpty() && !fractionDigits) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (unitStart == i) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
      }
      long unit = unitNanos(s.substring(unitStart, i), text);
      BigInteger part =
          (whole.isEmpty() ? BigInteger.ZERO : new BigInteger(whole))
              .multiply(BigInteger.valueOf(unit));
      if (fraction > 0) {
        part = part.add(BigInteger.valueOf((long) (fraction * (unit / scale))));
      }
      total = total.add(part);
      if (total.compareTo(MAX_NANOS.add(BigInteger.ONE)) > 0) {
        throw invalid(text); // stop early: a long enough input must not build a huge number
      }
    }
    if (negative) {
      total = total.negate();
    }
    if (total.compareTo(MAX_NANOS) > 0 || total.compareTo(MIN_NANOS) < 0) {
      throw invalid(text);
    }
    return Duration.ofNanos(total.longValueExact());
  }

  private static long unitNanos(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L; // micro sign U+00B5 and Greek mu U+03BC, as Go
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default ->
          throw new IllegalArgumentException(
              "time: unknown unit " + quote(unit) + " in duration " + quote(text));
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quote(text));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
