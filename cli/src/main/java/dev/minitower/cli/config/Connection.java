package dev.minitower.cli.config;

/**
 * Where and as whom API commands talk: the resolved server URL (no trailing slash), token and the
 * profile's default app (may be null).
 */
public record Connection(String server, String token, String defaultApp) {}
