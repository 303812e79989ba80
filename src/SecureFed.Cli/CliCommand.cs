using System.CommandLine;

namespace SecureFed.Cli;

/// <summary>
/// One `securefed` sub-command, e.g. "simulate" or "bench he": its words, its help text, its typed options and
/// arguments (System.CommandLine parses, validates and documents them), and what it runs.
/// </summary>
internal abstract class CliCommand
{
    /// <summary>The words that select the command, e.g. "simulate" or "dp epsilon".</summary>
    public abstract string Name { get; }

    /// <summary>The help text's description: one summary line, then any notes the option list does not carry.</summary>
    public abstract string Description { get; }

    /// <summary>The options and positional arguments, in help order.</summary>
    public abstract IEnumerable<Symbol> Symbols { get; }

    /// <summary>Runs the command on parsed input; the return value is the process exit code.</summary>
    public abstract int Run(ParseResult parse, CliConsole console);
}
