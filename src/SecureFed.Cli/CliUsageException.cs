namespace SecureFed.Cli;

/// <summary>
/// A command line that parses but cannot be run as written (options that contradict each other, a range that
/// depends on another option); printed with a pointer to the command's help, exit code 2.
/// </summary>
internal sealed class CliUsageException(string message) : Exception(message);
