using System.CommandLine;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed swarm`: a load generator. Enrols N generated identities, opens a round (masking or HE) on a running
/// aggregator, runs N real clients concurrently over HTTP with known inputs and checks the server's sum against them.
/// </summary>
internal sealed class SwarmCommand : CliCommand
{
    private readonly SwarmOptions _options = new();

    public override string Name => "swarm";

    public override string Description => """
        run N clients concurrently against an aggregator and check the sum
        --json prints wall_s, sum_matches, graph, k, t, server_peak_mb (the service's VmHWM after the round) and lost
        (devices that did not plan to drop out yet are missing from the result), among others; with --dp-epsilon also
        dp_round_epsilon, ledger_charges and ledger_matches
        exit code: 0 when the server's sum equals the sum of the surviving devices' inputs (--dp-epsilon: the average is
        within the noise and the ledger holds exactly one charge for the round, equal to its epsilon), 1 otherwise
        """;

    public override IEnumerable<Symbol> Symbols => _options.All;

    public override int Run(ParseResult parse, CliConsole console)
    {
        Uri server = parse.GetRequiredValue(_options.Server);
        int clients = parse.GetValue(_options.Clients);
        var plan = new SwarmPlan(clients, parse.GetValue(_options.Length), parse.GetValue(_options.Bits), parse.GetValue(_options.Deadline),
            parse.GetValue(_options.Deadlines), Seed: 0, parse.GetValue(_options.DpEpsilon), _options.QuietClose.Read(parse));
        // The options are checked before the admin key is looked up, so a usage error is reported as one.
        ISwarmScheme scheme = parse.GetValue(_options.Scheme) == "he" ? HeScheme(parse, plan) : MaskingScheme(parse, plan);
        SwarmSharedOptions shared = SwarmSharedOptions.Read(parse, _options, server);
        plan = plan with { Seed = shared.Seed };
        CliProgress progress = console.Progress(quiet: shared.Json, totalClients: clients);
        IReadOnlyList<Uri> frontEnds = [server, .. SwarmFrontEnds.Parse(parse.GetValue(_options.AlsoServers))];
        return SwarmConsole.RunAndPrint(new SwarmRun(frontEnds, shared.AdminKey, plan, scheme, progress).ExecuteAsync, progress, shared.Json,
            console.Output, console.Error, scheme.PrintHead);
    }

    private SwarmMaskingScheme MaskingScheme(ParseResult parse, SwarmPlan plan)
    {
        _options.RejectHeOptions(parse);
        int? threshold = parse.GetValue(_options.Threshold);
        if (threshold > plan.Clients)
        {
            throw new CliUsageException($"--threshold must be between 1 and {plan.Clients} (--clients; got {threshold})");
        }
        double dropout = parse.GetValue(_options.Dropout);
        // As in simulate: the graph must tolerate at least the planned dropout fraction.
        return new SwarmMaskingScheme(plan, threshold, (int)Math.Round(plan.Clients * dropout), _options.Graph.Read(parse, Math.Max(dropout, 0.1)));
    }

    private SwarmHeScheme HeScheme(ParseResult parse, SwarmPlan plan)
    {
        CliOptions.Refuse(parse, _options.Graph.All, "applies to --scheme masking only");
        int decryptors = parse.GetValue(_options.Decryptors);
        if (decryptors > plan.Clients)
        {
            throw new CliUsageException($"--decryptors must be between 1 and {Math.Min(plan.Clients, 1000)} (--clients; got {decryptors})");
        }
        int? threshold = parse.GetValue(_options.Threshold);
        if (threshold > decryptors)
        {
            throw new CliUsageException($"--threshold must be between 1 and {decryptors} (--decryptors; got {threshold})");
        }
        if (plan.Bits < 16)
        {
            throw new CliUsageException($"--bits must be between 16 and 64 for --scheme he (got {plan.Bits})");
        }
        bool decryptorDropout = parse.GetValue(_options.DecryptorDropout);
        if (decryptorDropout && decryptors <= (threshold ?? decryptors / 2 + 1))
        {
            throw new CliUsageException("--decryptor-dropout needs more decryptors than the threshold (a retry set must exist)");
        }
        double dropout = parse.GetValue(_options.Dropout);
        var he = new SwarmHePlan(decryptors, threshold, (int)Math.Round((plan.Clients - decryptors) * dropout), decryptorDropout,
            parse.GetValue(_options.DecryptDeadline) ?? plan.DeadlineSeconds);
        return new SwarmHeScheme(he, plan);
    }
}
