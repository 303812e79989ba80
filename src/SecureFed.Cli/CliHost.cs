using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace SecureFed.Cli;

/// <summary>
/// Builds the `securefed` command tree from <see cref="CommandRegistry"/> with System.CommandLine and runs it.
/// Exit codes: the command's own, 2 for a command line that does not parse or validate, 0 for --help/--version.
/// </summary>
internal static class CliHost
{
    public const int UsageExitCode = 2;

    public static int Run(string[] args, CliConsole console)
    {
        RootCommand root = Build(console);
        ParseResult parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = console.Output, Error = console.Error, EnableDefaultExceptionHandler = false };
        // Help, --version and the [suggest] directive win over errors; anything else with errors is a usage error.
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            string command = CommandPath(parse.CommandResult.Command);
            foreach (var e in parse.Errors)
            {
                console.Error.WriteLine($"{command}: {e.Message}");
            }
            console.Error.WriteLine($"`{command} --help` lists the options.");
            return UsageExitCode;
        }
        try
        {
            return parse.Invoke(invocation);
        }
        catch (CliUsageException e)
        {
            string command = CommandPath(parse.CommandResult.Command);
            console.Error.WriteLine($"{command}: {e.Message}");
            console.Error.WriteLine($"`{command} --help` lists the options.");
            return UsageExitCode;
        }
    }

    /// <summary>The command tree: one System.CommandLine command per registry entry, grouped by their first words.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("securefed: privacy-preserving federated aggregation");
        root.Add(CompletionCommand.Create(console));
        var notes = new Dictionary<Command, string>();
        foreach (CliCommand c in CommandRegistry.All)
        {
            string[] words = c.Name.Split(' ');
            Command parent = root;
            foreach (string word in words[..^1])
            {
                parent = parent.Subcommands.FirstOrDefault(s => s.Name == word) ?? AddGroup(parent, word);
            }
            string[] description = c.Description.Split('\n', 2);
            var command = new Command(words[^1], description[0].Trim());
            if (description.Length > 1)
            {
                notes[command] = description[1].TrimEnd();
            }
            foreach (Symbol s in c.Symbols)
            {
                switch (s)
                {
                    case Option o:
                        command.Add(o);
                        break;
                    case Argument a:
                        command.Add(a);
                        break;
                }
            }
            command.SetAction(parse => c.Run(parse, console));
            parent.Add(command);
        }
        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotesAction((HelpAction)help.Action!, notes, console.Output);
        return root;
    }

    private static readonly Dictionary<string, string> GroupSummaries = new(StringComparer.Ordinal)
    {
        ["audit"] = "check a round transcript and render it as an HTML report",
        ["bench"] = "benchmarks of this machine: masking (secagg) and the HE backend (he)",
        ["dp"] = "differential privacy: accountant, noise planner, exact samplers, sampler speed",
        ["admin"] = "operate an aggregator: enrol, revoke, token, open, status, abort, transcript (prints JSON)",
    };

    private static Command AddGroup(Command parent, string word)
    {
        var group = new Command(word, GroupSummaries.GetValueOrDefault(word, word));
        parent.Add(group);
        return group;
    }

    private static string CommandPath(Command command)
    {
        var words = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Insert(0, c.Name);
        }
        return string.Join(' ', ["securefed", .. words]);
    }
}
