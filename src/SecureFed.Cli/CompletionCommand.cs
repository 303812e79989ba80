using System.CommandLine;

namespace SecureFed.Cli;

/// <summary>
/// `securefed completion bash|zsh`: prints a shell completion script. The script asks the tool itself through
/// System.CommandLine's [suggest] directive, so completions always match the installed version's commands,
/// options and choices. Install: `source <(securefed completion bash)` (or add that line to ~/.bashrc).
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # securefed bash completion: source <(securefed completion bash)
        _securefed_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(securefed "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _securefed_complete securefed
        """;

    private const string Zsh = """
        # securefed zsh completion: source <(securefed completion zsh)
        _securefed_complete() {
          local -a items
          items=("${(@f)$(securefed "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
          compadd -- "${items[@]}"
        }
        compdef _securefed_complete securefed
        """;

    public static Command Create(CliConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "print a shell completion script (bash or zsh); e.g. source <(securefed completion bash)") { shell };
        command.SetAction(parse =>
        {
            console.Output.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }
}
