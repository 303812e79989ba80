using SecureFed.Cli;

return CliHost.Run(args, CliConsole.ForProcess());
