package dev.minitower.api.config;

/** Test access to the package-private start-up validation. */
public final class StartupChecksAccess {
  private StartupChecksAccess() {}

  public static void validate(ApiConfig config) {
    StartupChecks.validate(config);
  }
}
