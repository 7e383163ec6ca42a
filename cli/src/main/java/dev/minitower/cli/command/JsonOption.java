package dev.minitower.cli.command;

import picocli.CommandLine.Option;

/** {@code --json}: print the server's object as indented JSON instead of text. */
public final class JsonOption {
  @Option(names = "--json", description = "Print JSON (the server's object, 2-space indented).")
  boolean json;
}
