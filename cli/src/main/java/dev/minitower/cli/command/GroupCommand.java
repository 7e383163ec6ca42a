package dev.minitower.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code apps}, {@code runs}, …). */
@Command(synopsisSubcommandLabel = "<command>")
abstract class GroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean helpRequested;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
