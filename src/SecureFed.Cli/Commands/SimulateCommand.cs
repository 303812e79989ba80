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
internal sealed class SimulateCommand : ICliCommand
{
    public string Name => "simulate";

    public string Summary => "run one secure-aggregation round in process and check the sum";

    public string Usage => """
        usage: securefed simulate [options]
          --clients N          clients in the round (default 100)
          --length M           values per client (default 10000)
          --bits B             modulus 2^B, 16..64 (default 32)
          --dropout FRACTION   fraction of clients that drop out (default 0)
          --drop-stage STAGE   when they drop: advertise|share|masked-input|consistency|unmasking (default masked-input)
          --graph harary|complete  neighbour graph (default harary: SecAgg+, falling back to complete where the finder says so)
          --gamma G            fraction of corrupt clients the graph must tolerate (default 0.05)
          --delta D            fraction of dropouts the graph must tolerate (default: max(--dropout, 0.1))
          --threshold T        Shamir threshold (default: the finder's)
          --clip-range R       inputs are uniform in [-R, R] and clipped there (default 1.0)
          --seed S             reproducible keys, inputs and dropouts (tests only: not a CSPRNG)
          --scheme masking|he  protection scheme (default masking)
          --dp-epsilon E       add distributed DP (discrete Gaussian) for a target epsilon per round
          --dp-delta D         DP delta (default 1e-5)
          --clip C             L2 clip norm of each update under DP (default 1.0)
          --client-threads N   cores each simulated client uses (default 1: clients run side by side)
        with --scheme he (protocol-spec/he.md section 10; --graph, --gamma, --delta, --drop-stage do not apply):
          --decryptors D       key-holding decryptors, the first D clients (default min(clients, 50))
          --threshold T        decryptors needed to decrypt (default D/2 + 1)
          --min-clients M      fewest uploads a decryptor accepts in an aggregate (default clients/2 + 1)
          --decryptor-dropout F  fraction of decryptors that drop out (default 0)
          --decryptor-dropout-stage advertise|keygen|decrypt  when (default decrypt: triggers a retry with another set)
          --max-decryption-attempts K  decryption requests a decryptor answers per round (default 2, 1..8)
          --lanes L, --bodies B, --degree auto|4096|8192|16384|32768  packing and ring size; by default (lanes and
                             bodies 0, degree auto) the plan picks the smallest upload (bench he measures them)
          --json               print one JSON object instead of text
          --transcript FILE    write the round's signed, hash-chained transcript (protocol-spec/transcript.md)
          --keys FILE          also write the auditor's key file (clients' secrets and inputs; sample runs only; implies a seed;
                               with --scheme he: the uploading clients' plaintext inputs, no seed implied)
        exit code: 0 when the unmasked sum equals the plain sum of the survivors' inputs, 1 otherwise
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        string scheme = args.Choice("scheme", "masking", "masking", "he");
        if (scheme == "he")
        {
            return HeSimulation.Run(args, output, error);
        }
        int clients = args.Int("clients", 100, 3, 100_000);
        int length = args.Int("length", 10_000, 1, RoundParameters.MaxVectorLength);
        int bits = args.Int("bits", 32, 16, 64);
        int clientThreads = args.Int("client-threads", 1, 1, 256);
        double dropout = args.Double("dropout", 0, 0, 1);
        ProtocolStage dropStage = ParseStage(args.String("drop-stage", "masked-input")!);
        int? threshold = args.String("threshold") is null ? null : args.Int("threshold", 0, 1, clients);
        string graphName = args.Choice("graph", "harary", "harary", "complete");
        double gamma = args.Double("gamma", 0.05, 0, 0.99);
        double delta = args.Double("delta", Math.Max(dropout, 0.1), 0, 0.99);
        double clip = args.Double("clip-range", 1.0, double.Epsilon, 1e12);
        long? seed = args.String("seed") is null ? null : args.Long("seed", 0);
        bool json = args.Flag("json");
        bool bitsGiven = args.String("bits") is not null;
        double? dpEpsilon = args.String("dp-epsilon") is null ? null : args.Double("dp-epsilon", 1, 1e-6, 1e6);
        double dpDelta = args.Double("dp-delta", 1e-5, 1e-300, 0.5);
        double dpClip = args.Double("clip", 1.0, 1e-12, 1e12);
        string? transcriptPath = args.String("transcript");
        string? keysPath = args.String("keys");
        args.ThrowIfUnused();
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
        var options = new SimulationOptions
        {
            Clients = clients,
            Vectors = [new VectorSpec { Length = wireLength, Bits = bits }],
            Graph = harary ? GraphKind.Harary : GraphKind.Complete,
            GraphDegree = harary ? plan!.Degree : 0,
            Threshold = threshold ?? plan?.Threshold,
            Dropouts = dropouts,
            Seed = seed,
            Inputs = dp is null ? id => [QuantizedInput(quantizer, length, inputSeed, id)] : id => [dp.Encode(id)],
            Progress = json ? null : new Progress<string>(line => error.WriteLine($"  {line}")),
            Observer = recorder,
            ClientThreads = clientThreads,
        };
        var wall = Stopwatch.StartNew();
        SimulationReport report;
        try
        {
            report = new RoundSimulator(options).Run();
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
            summary.WriteText(output);
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

    // Deterministic per client (the simulator recomputes inputs for the reference sum).
    private static ulong[] QuantizedInput(FixedPointQuantizer quantizer, int length, long seed, uint id)
    {
        using var random = DeterministicRandomSource.Derive(seed, "input", id);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.NextDouble() * 2 - 1) * quantizer.ClipRange;
        }
        var q = new ulong[length];
        quantizer.Quantize(values, q, random);
        return q;
    }

    private static Dictionary<uint, ProtocolStage> PickDropouts(int clients, double fraction, ProtocolStage stage, long? seed)
    {
        int count = (int)Math.Round(clients * fraction);
        IRandomSource random = seed is long s ? DeterministicRandomSource.Derive(s, "dropouts") : SystemRandomSource.Instance;
        var ids = Enumerable.Range(1, clients).Select(i => (uint)i).ToArray();
        for (int i = ids.Length - 1; i > 0; i--)
        {
            int j = (int)random.NextBelow((ulong)i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        (random as IDisposable)?.Dispose();
        return ids.Take(count).ToDictionary(id => id, _ => stage);
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
