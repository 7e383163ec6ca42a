package dev.minitower.agent.config;

/** Invalid or missing configuration; the agent logs {@code config error} and exits 1. */
public class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
