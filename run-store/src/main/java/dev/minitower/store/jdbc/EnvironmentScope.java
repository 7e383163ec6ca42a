package dev.minitower.store.jdbc;

/**
 * The SQL fragment that narrows a sweep to some environments (a scheduler replica's scope); {@code
 * null} environments mean every one.
 */
public final class EnvironmentScope {
  private EnvironmentScope() {}

  /** {@code (<column> in scope)}; bind with {@link #params}. */
  public static String in(String column) {
    return "(?::text[] IS NULL OR " + column + " = ANY(?::text[]))";
  }

  /** The two parameters of {@link #in}: the environments, or every one when null. */
  public static Object[] params(String[] environments) {
    Object p = environments == null ? Jdbc.TypedNull.TEXT : environments;
    return new Object[] {p, p};
  }
}
