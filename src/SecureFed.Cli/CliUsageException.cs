namespace SecureFed.Cli;

/// <summary>A command line that cannot be run as written; printed with the command's usage, exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
