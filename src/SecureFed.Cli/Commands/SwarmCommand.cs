using System.CommandLine;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed swarm`: a load generator. Opens a round on a running aggregator, enrols N generated identities,
/// runs N real clients concurrently over HTTP with known inputs and checks the server's sum against them.
/// </summary>
internal sealed class SwarmCommand : CliCommand
{
    private readonly SwarmOptions _options = new();

    public override string Name => "swarm";

    public override string Description => """
        run N clients concurrently against an aggregator and check the sum
        exit code: 0 when the server's sum equals the sum of the surviving devices' inputs, 1 otherwise
        """;

    public override IEnumerable<Symbol> Symbols => _options.All;

    public override int Run(ParseResult parse, CliConsole console)
    {
        if (parse.GetValue(_options.Scheme) == "he")
        {
            return SwarmHeCommand.Run(parse, _options, console);
        }
        _options.RejectHeOptions(parse);
        TextWriter output = console.Output, error = console.Error;
        Uri server = parse.GetRequiredValue(_options.Server);
        int clients = parse.GetValue(_options.Clients);
        int length = parse.GetValue(_options.Length);
        int bits = parse.GetValue(_options.Bits);
        double dropout = parse.GetValue(_options.Dropout);
        int? threshold = parse.GetValue(_options.Threshold);
        if (threshold > clients)
        {
            throw new CliUsageException($"--threshold must be between 1 and {clients} (--clients; got {threshold})");
        }
        double deadline = parse.GetValue(_options.Deadline);
        SwarmSharedOptions shared = SwarmSharedOptions.Read(parse, _options, server);

        var plan = new SwarmPlan(clients, length, bits, (int)Math.Round(clients * dropout), threshold, deadline, shared.Seed);
        CliProgress progress = console.Progress(quiet: shared.Json, totalClients: clients);
        return SwarmConsole.RunAndPrint(new SwarmRun(server, shared.AdminKey, plan, progress).ExecuteAsync, progress, shared.Json, output, error, report =>
        {
            output.WriteLine($"round {report.RoundId}: {report.Clients} clients x {report.Length} values ({report.Bits} bits), status {report.Status}");
            output.WriteLine($"  survivors {report.Survivors}, dropped {report.Dropped}, clients failed {report.ClientsFailed}");
        });
    }
}
