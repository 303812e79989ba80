using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Planning;
using SecureFed.Protocol.Quantization;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed simulate`: one in-process secure-aggregation round with dropouts, timed and checked.</summary>
internal sealed class SimulateCommand : CliCommand
{
    private readonly SimulateOptions _options = new();

    public override string Name => "simulate";

    public override string Description => """
        run one secure-aggregation round in process and check the sum
        with --scheme he (protocol-spec/he.md section 10), --graph, --gamma, --delta, --drop-stage and --client-threads do not apply
        exit code: 0 when the unmasked sum equals the plain sum of the survivors' inputs, 1 otherwise
        """;

    public override IEnumerable<Symbol> Symbols => _options.All;

    public override int Run(ParseResult parse, CliConsole console)
    {
        SimulateOptions o = _options;
        bool he = parse.GetValue(o.Scheme) == "he";
        o.RejectOtherScheme(parse, he);
        if (he)
        {
            return HeSimulation.Run(parse, o, console);
        }
        TextWriter output = console.Output, error = console.Error;
        int clients = SimulateOptions.InRange(parse.GetValue(o.Clients), "--clients", 3, 100_000);
        int length = parse.GetValue(o.Length);
        int bits = parse.GetValue(o.Bits);
        int clientThreads = parse.GetValue(o.ClientThreads);
        double dropout = parse.GetValue(o.Dropout);
        ProtocolStage dropStage = ParseStage(parse.GetRequiredValue(o.DropStage));
        int? threshold = parse.GetValue(o.Threshold) is int t ? SimulateOptions.InRange(t, "--threshold", 1, clients, " (--clients)") : null;
        string graphName = parse.GetRequiredValue(o.Graph);
        double gamma = parse.GetValue(o.Gamma);
        double delta = parse.GetValue(o.Delta) ?? Math.Max(dropout, 0.1);
        double clip = parse.GetValue(o.ClipRange);
        long? seed = parse.GetValue(o.Seed);
        bool json = parse.GetValue(o.Json);
        bool bitsGiven = CliOptions.Given(parse, o.Bits);
        double? dpEpsilon = parse.GetValue(o.DpEpsilon);
        double dpDelta = parse.GetValue(o.DpDelta);
        double dpClip = parse.GetValue(o.Clip);
        string? transcriptPath = parse.GetValue(o.Transcript);
        string? keysPath = parse.GetValue(o.Keys);
        seed ??= keysPath is null ? null : (long)SystemRandomSource.Instance.NextUInt64(); // the key file re-derives seeded secrets
        var recorder = transcriptPath is null ? null : new Audit.Transcripts.TranscriptRecorder();

        FixedPointQuantizer quantizer;
        try
        {
            quantizer = FixedPointQuantizer.Create(clip, bits, clients);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
        GraphPlan? plan = graphName == "harary" ? PlanGraph(clients, gamma, delta) : null;
        bool harary = plan?.Graph == GraphKind.Harary;
        long inputSeed = seed ?? (long)SystemRandomSource.Instance.NextUInt64();
        var dropouts = PickDropouts(clients, dropout, dropStage, seed);
        DpInputModel? dp = null;
        if (dpEpsilon is double eps)
        {
            dp = new DpInputModel(DpInputModel.PlanFor(eps, dpDelta, dpClip, clients, threshold ?? plan?.Threshold ?? clients / 2 + 1, length, bitsGiven ? bits : null), inputSeed);
            bits = dp.Plan.Bits;
        }
        int wireLength = dp?.Plan.PaddedDimension ?? length;
        CliProgress progress = console.Progress(quiet: json);
        var options = new SimulationOptions
        {
            Clients = clients,
            Vectors = [new VectorSpec { Length = wireLength, Bits = bits }],
            Graph = harary ? GraphKind.Harary : GraphKind.Complete,
            GraphDegree = harary ? plan!.Degree : 0,
            Threshold = threshold ?? plan?.Threshold,
            Dropouts = dropouts,
            Seed = seed,
            Inputs = dp is null ? id => [SimulatedInput.Quantized(quantizer, length, inputSeed, id)] : id => [dp.Encode(id)],
            Progress = json ? null : progress.Reporter,
            Observer = recorder,
            ClientThreads = clientThreads,
        };
        var wall = Stopwatch.StartNew();
        SimulationReport report;
        try
        {
            report = progress.Run(() => new RoundSimulator(options).Run());
        }
        catch (InvalidRoundConfigurationException e)
        {
            throw new CliUsageException(e.Message);
        }
        wall.Stop();
        AuditSimulationOutput.Write(transcriptPath, keysPath, recorder, report, options, dp, seed, json ? TextWriter.Null : error);
        var summary = SimulationSummary.From(report, "masking", length, bits, dropout, dropStage, wall.Elapsed.TotalMilliseconds);
        summary.Graph = harary ? $"harary(k={plan!.Degree})" : "complete";
        if (dp is not null && report.Result is not null)
        {
            summary.Dp = dp.Evaluate(report.Result.Sums[0], report.Result.Survivors);
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(summary, SimulationSummary.JsonOptions));
        }
        else
        {
            summary.WriteText(console);
        }
        return report.SumMatches ? 0 : 1;
    }

    private static GraphPlan PlanGraph(int clients, double gamma, double delta)
    {
        try
        {
            return SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = clients, CorruptFraction = gamma, DropoutFraction = delta });
        }
        catch (Exception e) when (e is InfeasiblePlanException or ArgumentOutOfRangeException)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
    }

    private static Dictionary<uint, ProtocolStage> PickDropouts(int clients, double fraction, ProtocolStage stage, long? seed)
    {
        int count = (int)Math.Round(clients * fraction);
        IRandomSource random = seed is long s ? DeterministicRandomSource.Derive(s, "dropouts") : SystemRandomSource.Instance;
        int[] ids = SimulatedInput.Shuffled(random, 1, clients);
        (random as IDisposable)?.Dispose();
        return ids.Take(count).ToDictionary(id => (uint)id, _ => stage);
    }

    private static ProtocolStage ParseStage(string s) => s switch
    {
        "advertise" or "r0" => ProtocolStage.AdvertiseKeys,
        "share" or "r1" => ProtocolStage.ShareKeys,
        "masked-input" or "r2" => ProtocolStage.MaskedInputCollection,
        "consistency" or "r3" => ProtocolStage.ConsistencyCheck,
        "unmasking" or "r4" => ProtocolStage.Unmasking,
        _ => throw new CliUsageException($"--drop-stage must be advertise, share, masked-input, consistency or unmasking (got '{s}')"),
    };
}
