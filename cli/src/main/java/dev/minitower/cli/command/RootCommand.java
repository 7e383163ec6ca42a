package dev.minitower.cli.command;

import dev.minitower.cli.Terminal;
import dev.minitower.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code minitower}: the root of the command tree. */
@Command(
    name = "minitower",
    versionProvider = RootCommand.VersionProvider.class,
    description = "Command line for MiniTower: deploy Towerfile projects and run them.",
    synopsisSubcommandLabel = "<command>",
    subcommands = {
      LoginCommand.class,
      ConfigCommand.class,
      MeCommand.class,
      AppsCommand.class,
      VersionsCommand.class,
      DeployCommand.class,
      RunsCommand.class,
      TokensCommand.class,
      SecretsCommand.class,
      RunnersCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Flags may come before or after positional arguments.",
      "Exit codes:",
      "  0   success (runs watch / logs --follow: the run completed)",
      "  1   usage, validation, network or other HTTP errors; run failed or dead",
      "  2   run cancelled (runs watch / logs --follow)",
      "  10  HTTP 401/403    11  HTTP 404 or not found",
      "  12  HTTP 409        13  HTTP 410"
    })
public class RootCommand implements Runnable {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean helpRequested;

  @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
  boolean versionRequested;

  private Terminal terminal;

  /** For picocli and the completion generator. */
  public RootCommand() {}

  public RootCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  public Terminal terminal() {
    if (terminal == null) {
      terminal = Terminal.system();
    }
    return terminal;
  }

  @Spec CommandSpec spec;

  @Override
  public void run() {
    // Only reached with options but no command: usage on stderr, exit 1.
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minitower " + Version.get()};
    }
  }
}
