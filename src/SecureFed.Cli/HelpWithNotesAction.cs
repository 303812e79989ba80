using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace SecureFed.Cli;

/// <summary>
/// System.CommandLine's generated help, followed by the command's notes (the lines of its description after the
/// summary: exit codes, scheme-specific rules), so the command list stays one line per command.
/// </summary>
internal sealed class HelpWithNotesAction(HelpAction generated, IReadOnlyDictionary<Command, string> notes, TextWriter output) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        int result = generated.Invoke(parseResult);
        if (notes.TryGetValue(parseResult.CommandResult.Command, out string? text))
        {
            output.WriteLine(text);
            output.WriteLine();
        }
        return result;
    }
}
