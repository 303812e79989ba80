namespace SecureFed.Cli;

/// <summary>One `securefed` sub-command, e.g. "simulate" or "bench he".</summary>
internal interface ICliCommand
{
    /// <summary>The words that select the command, e.g. "simulate" or "dp epsilon".</summary>
    string Name { get; }

    /// <summary>One line for the help listing.</summary>
    string Summary { get; }

    /// <summary>Full usage text shown by `securefed NAME --help`.</summary>
    string Usage { get; }

    /// <summary>Runs the command; the return value is the process exit code.</summary>
    int Run(CliArguments args, TextWriter output, TextWriter error);
}
