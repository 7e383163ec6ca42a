package dev.minitower.model.secrets;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a team secret's name, shared by the API, the Towerfile parser and the agent: a
 * secret becomes an environment variable of the workload, so its name follows the environment
 * variable rules ({@code [A-Za-z_][A-Za-z0-9_]*}, at most {@value #MAX_LENGTH} characters) and may
 * not be a variable the platform sets or one that changes how programs load ({@code MINITOWER_*},
 * {@code PATH}, {@code HOME}, {@code LD_*}, {@code PYTHON*}, …).
 */
public final class SecretNames {
  /** Longest name. */
  public static final int MAX_LENGTH = 128;

  /** Most secrets one Towerfile may name. */
  public static final int MAX_PER_VERSION = 64;

  /**
   * Largest value in bytes (UTF-8): one {@code NAME=value} environment string must stay under
   * Linux's {@code MAX_ARG_STRLEN} (128 KiB), and a run may receive {@link #MAX_PER_VERSION}.
   */
  public static final int MAX_VALUE_BYTES = 32 * 1024;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_LENGTH - 1) + "}");

  private static final Set<String> RESERVED =
      Set.of(
          "PATH",
          "HOME",
          "TMPDIR",
          "LANG",
          "LANGUAGE",
          "LC_ALL",
          "VIRTUAL_ENV",
          "PWD",
          "OLDPWD",
          "SHELL",
          "USER",
          "LOGNAME",
          "IFS",
          "ENV",
          "BASH_ENV",
          "SHELLOPTS",
          "PS4",
          "TZ");

  private static final String[] RESERVED_PREFIXES = {
    "MINITOWER_", "LD_", "LC_", "PYTHON", "PIP_", "BASH_FUNC_"
  };

  private SecretNames() {}

  /** Why {@code name} is not a valid secret name, or empty when it is. */
  public static Optional<String> violation(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("secret name is required");
    }
    if (!NAME.matcher(name).matches()) {
      return Optional.of(
          "secret name must match [A-Za-z_][A-Za-z0-9_]* (an environment variable name) and be at"
              + " most "
              + MAX_LENGTH
              + " characters");
    }
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    if (RESERVED.contains(upper)) {
      return Optional.of("secret name " + name + " is reserved: the runner sets it");
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (upper.startsWith(prefix)) {
        return Optional.of(
            "secret name "
                + name
                + " is reserved: names starting with "
                + prefix
                + " are not allowed");
      }
    }
    return Optional.empty();
  }

  public static boolean isValid(String name) {
    return violation(name).isEmpty();
  }
}
