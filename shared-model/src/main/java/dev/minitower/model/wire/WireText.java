package dev.minitower.model.wire;

/**
 * Text that can be stored: PostgreSQL refuses NUL in {@code text} and {@code jsonb}, and a lone
 * UTF-16 surrogate (JSON {@code "\ud800"}) is not a Unicode character at all (the driver would
 * store it as {@code ?}). Request strings with either are refused; text that is data by nature (log
 * lines, captured command output) is {@linkplain #clean cleaned} instead.
 */
public final class WireText {
  private WireText() {}

  /** Why {@code s} cannot be stored, or null when it can (null is fine). */
  public static String violation(String s) {
    if (s == null) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        return "must not contain NUL characters";
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return "contains an unpaired surrogate (not valid Unicode)";
        }
      }
    }
    return null;
  }

  /** {@code s} with every NUL and every unpaired surrogate replaced by U+FFFD. */
  public static String clean(String s) {
    if (violation(s) == null) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        out.append('\uFFFD');
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code s} printable in an error message: NUL and lone surrogates shown as escapes. */
  static String shown(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0'
          || (Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1))))) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c)) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
