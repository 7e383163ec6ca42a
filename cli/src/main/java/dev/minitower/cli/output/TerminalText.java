package dev.minitower.cli.output;

/**
 * Makes server-provided text safe to print on a terminal. Log lines and descriptions are written by
 * jobs and users; raw ESC/OSC sequences in them could rewrite the screen, retitle the window or
 * fake earlier output. Control characters (C0 except tab, DEL, C1) are shown as {@code \xNN}.
 */
public final class TerminalText {
  private TerminalText() {}

  public static String escape(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f);
      if (control) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        sb.append(String.format("\\x%02x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
