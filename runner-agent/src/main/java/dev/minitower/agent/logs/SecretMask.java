package dev.minitower.agent.logs;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces a run's secret values in its log lines with {@link #MASK} before they leave the runner.
 * Each value is looked for as itself, in base64 (standard and URL alphabet, with and without
 * padding) and URL-encoded ({@code %XX}, with {@code +} or {@code %20} for spaces); a value of
 * several lines is also looked for line by line, since the agent ships output line by line. A line
 * cut at the length cap that ends with the start of a value has that start masked too.
 *
 * <p>Values (and forms) shorter than {@link #MIN_LENGTH} characters are not masked: masking every
 * {@code "a"} or {@code "1"} of a log would make it unreadable and, by where the masks fall, reveal
 * the value anyway. Use longer secrets; the README says so.
 */
public final class SecretMask {
  public static final String MASK = "***";

  /** Shortest value (or form of a value) that is masked. */
  public static final int MIN_LENGTH = 4;

  private static final SecretMask NONE = new SecretMask(List.of());

  private final List<String> needles;

  private SecretMask(List<String> needles) {
    this.needles = needles;
  }

  public static SecretMask none() {
    return NONE;
  }

  /** The mask of these values (null or empty: a mask that changes nothing). */
  public static SecretMask of(Collection<String> values) {
    if (values == null || values.isEmpty()) {
      return NONE;
    }
    Set<String> forms = new LinkedHashSet<>();
    for (String value : values) {
      if (value == null) {
        continue;
      }
      addForms(forms, value);
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        for (String line : value.split("\r?\n|\r")) {
          addForms(forms, line);
        }
      }
    }
    List<String> needles = new ArrayList<>();
    for (String f : forms) {
      if (f.length() >= MIN_LENGTH) {
        needles.add(f);
      }
    }
    // Longest first, so a value that contains another is masked whole.
    needles.sort(Comparator.comparingInt(String::length).reversed());
    return needles.isEmpty() ? NONE : new SecretMask(List.copyOf(needles));
  }

  private static void addForms(Set<String> forms, String value) {
    if (value.length() < MIN_LENGTH) {
      return; // and none of its encodings either: they would mask unrelated text
    }
    forms.add(value);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    forms.add(b64);
    forms.add(stripPadding(b64));
    String b64url = Base64.getUrlEncoder().encodeToString(bytes);
    forms.add(b64url);
    forms.add(stripPadding(b64url));
    String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
    forms.add(url);
    forms.add(url.replace("+", "%20"));
    forms.add(url.toLowerCase(java.util.Locale.ROOT).equals(url) ? url : lowerHex(url));
  }

  private static String stripPadding(String b64) {
    int end = b64.length();
    while (end > 0 && b64.charAt(end - 1) == '=') {
      end--;
    }
    return b64.substring(0, end);
  }

  /** {@code %2F} → {@code %2f}: some encoders write lower-case hex digits. */
  private static String lowerHex(String url) {
    StringBuilder sb = new StringBuilder(url.length());
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      sb.append(c);
      if (c == '%' && i + 2 < url.length()) {
        sb.append(Character.toLowerCase(url.charAt(i + 1)));
        sb.append(Character.toLowerCase(url.charAt(i + 2)));
        i += 2;
      }
    }
    return sb.toString();
  }

  public boolean isEmpty() {
    return needles.isEmpty();
  }

  /** {@code line} with every form of every value replaced by {@link #MASK}. */
  public String apply(String line) {
    if (needles.isEmpty() || line == null || line.isEmpty()) {
      return line;
    }
    String out = line;
    for (String needle : needles) {
      if (out.contains(needle)) {
        out = out.replace(needle, MASK);
      }
    }
    if (out.endsWith(LogLines.MARKER)) {
      out = maskCutValue(out);
    }
    return out;
  }

  /** A line cut at the cap may end with the first part of a value: mask that part as well. */
  private String maskCutValue(String line) {
    String text = line.substring(0, line.length() - LogLines.MARKER.length());
    for (String needle : needles) {
      for (int k = needle.length() - 1; k >= MIN_LENGTH; k--) {
        if (text.endsWith(needle.substring(0, k))) {
          return text.substring(0, text.length() - k) + MASK + LogLines.MARKER;
        }
      }
    }
    return line;
  }
}
