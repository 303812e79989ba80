namespace SecureFed.Cli;

/// <summary>Picks the sub-command whose words match the longest prefix of the arguments and runs it.</summary>
internal static class CliHost
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ICliCommand? command = null;
        int consumed = 0;
        foreach (var c in CommandRegistry.All)
        {
            string[] words = c.Name.Split(' ');
            if (words.Length > consumed && words.Length <= args.Length && words.SequenceEqual(args.Take(words.Length), StringComparer.Ordinal))
            {
                command = c;
                consumed = words.Length;
            }
        }
        if (command is null)
        {
            bool askedForHelp = args.Length == 0 || args[0] is "--help" or "-h" or "help";
            (askedForHelp ? output : error).WriteLine(Help());
            if (!askedForHelp)
            {
                error.WriteLine($"unknown command '{string.Join(' ', args.Take(2))}'");
            }
            return askedForHelp ? 0 : 2;
        }
        string[] rest = args[consumed..];
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            output.WriteLine(command.Usage);
            return 0;
        }
        try
        {
            return command.Run(new CliArguments(rest), output, error);
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"securefed {command.Name}: {e.Message}");
            error.WriteLine(command.Usage);
            return 2;
        }
    }

    private static string Help()
    {
        var lines = new List<string> { "securefed: privacy-preserving federated aggregation", "", "commands:" };
        int width = CommandRegistry.All.Select(c => c.Name.Length).DefaultIfEmpty(0).Max();
        lines.AddRange(CommandRegistry.All.Select(c => $"  {c.Name.PadRight(width)}  {c.Summary}"));
        lines.Add("");
        lines.Add("`securefed COMMAND --help` shows a command's options.");
        return string.Join(Environment.NewLine, lines);
    }
}
