package dev.minitower.scheduler.config;

import dev.minitower.store.jdbc.Jdbc;

/** SQL fragment and parameters that narrow a statement to the {@link SweepScope}. */
public final class Scoped {
  private Scoped() {}

  /** {@code (<column> in scope)}; bind with {@link #params}. */
  public static String in(String column) {
    return "(?::text[] IS NULL OR " + column + " = ANY(?::text[]))";
  }

  /** The two parameters of {@link #in}. */
  public static Object[] params(SweepScope scope) {
    String[] environments = scope.sqlArray();
    Object p = environments == null ? Jdbc.TypedNull.TEXT : environments;
    return new Object[] {p, p};
  }
}
