package dev.minitower.cli.command;

import picocli.CommandLine.Option;

/**
 * {@code --server --token --profile}: the "common" flags of every API command
 * (docs/spec/towerfile-and-runner.md §4.4).
 */
public final class ConnectionOptions {
  @Option(
      names = "--server",
      paramLabel = "<url>",
      description = "API server URL (default: $MINITOWER_SERVER_URL, then the profile).")
  String server;

  @Option(
      names = "--token",
      paramLabel = "<token>",
      description = "API token (default: $MINITOWER_API_TOKEN, then the profile).")
  String token;

  @Option(
      names = "--profile",
      paramLabel = "<name>",
      description = "Config profile to use (default: the current profile, then \"default\").")
  String profile;
}
