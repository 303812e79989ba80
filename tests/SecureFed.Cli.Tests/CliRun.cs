using SecureFed.Cli;

namespace SecureFed.Cli.Tests;

/// <summary>One `securefed` invocation in process, with both streams captured (not a terminal: no live progress).</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliHost.Run(args, new CliConsole(output, error, errorIsTerminal: false));
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
