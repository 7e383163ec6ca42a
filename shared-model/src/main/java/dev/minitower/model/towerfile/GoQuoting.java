package dev.minitower.model.towerfile;

/**
 * Quotes a string the way Go's {@code %q} verb does, so that error messages that embed user text
 * ({@code source pattern "<p>" …}) keep the original wording and stay on one line.
 */
public final class GoQuoting {

  private GoQuoting() {}

  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                  if (isPrintable(cp)) {
                    out.appendCodePoint(cp);
                  } else if (cp < 0x80) {
                    out.append(String.format("\\x%02x", cp));
                  } else if (cp < 0x10000) {
                    out.append(String.format("\\u%04x", cp));
                  } else {
                    out.append(String.format("\\U%08x", cp));
                  }
                }
              }
            });
    return out.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    if (Character.isISOControl(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.FORMAT,
          Character.SURROGATE,
          Character.UNASSIGNED,
          Character.PRIVATE_USE,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
