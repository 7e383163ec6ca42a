package dev.minitower.model.run;

import java.util.regex.Pattern;

/**
 * The one rule for environment names (the schema's CHECK on {@code environments.name}): a run
 * targets an environment by name and a runner serves one by the same name, so both follow it.
 */
public final class EnvironmentNames {
  private EnvironmentNames() {}

  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_.-]{0,62}$");

  public static final String RULE =
      "must be 1-63 characters: lowercase letters, digits, '_', '.', '-',"
          + " starting with a letter or digit";

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
