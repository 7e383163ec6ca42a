package dev.minitower.cli.command;

import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code completion}: prints the bash/zsh completion script generated from the command tree. */
@Command(
    name = "completion",
    description = {
      "Print a bash/zsh completion script.",
      "Use: source <(minitower completion)   (zsh: autoload -U +X bashcompinit && bashcompinit first)"
    })
final class CompletionCommand extends BaseCommand {
  @Override
  protected int execute() {
    out().print(AutoComplete.bash("minitower", Main.commandLine(term())));
    return ExitCodes.OK;
  }
}
