using Spectre.Console;

namespace SecureFed.Cli;

/// <summary>
/// Where a command writes: results to <see cref="Output"/>, progress and diagnostics to <see cref="Error"/>.
/// Live progress (Spectre.Console) is drawn only when the error stream is a terminal.
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, bool errorIsTerminal)
{
    /// <summary>Results (text or JSON).</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Progress lines and error messages.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The process's own console: live progress when stderr is a terminal.</summary>
    public static CliConsole ForProcess() => new(global::System.Console.Out, global::System.Console.Error,
        !global::System.Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb");

    /// <summary>
    /// Progress for a long run: a live Spectre.Console display on a terminal, plain lines on a redirected stream,
    /// nothing when <paramref name="quiet"/> (--json).
    /// </summary>
    public CliProgress Progress(bool quiet, int? totalClients = null) =>
        quiet ? CliProgress.Silent
        : errorIsTerminal ? CliProgress.Live(AnsiConsole.Create(new AnsiConsoleSettings
        {
            // The caller checked that stderr is a terminal; Spectre cannot tell that from a TextWriter.
            Out = new AnsiConsoleOutput(Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        }), totalClients)
        : CliProgress.Lines(Error);

    /// <summary>Writes <paramref name="table"/> to <see cref="Output"/> as aligned plain text (no colour, no box art when redirected).</summary>
    public void Write(Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        table.Border(TableBorder.Simple);
        console.Write(table);
    }
}
