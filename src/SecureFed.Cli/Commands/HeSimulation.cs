using System.CommandLine;
using System.Diagnostics;
using SecureFed.Lattice.Bfv;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed simulate --scheme he`: one homomorphic aggregation round in process, through the HE protocol's
/// state machines (protocol-spec/he.md, "Round protocol"). D decryptors (the first D clients) generate a collective
/// threshold key (H0, H1); surviving clients quantize (same quantizer as the masking path), encrypt, commit and
/// upload with a signed commitment (H2); the server sums; T decryptors check the openings against the signed
/// commitments and return flooded decryption shares (H3), with a retry on another set when one does not answer.
/// `--decryptor-dropout F --decryptor-dropout-stage advertise|keygen|decrypt` drops decryptors in H0, H1 or H3.
/// </summary>
internal static class HeSimulation
{
    public static int Run(ParseResult parse, SimulateOptions o, CliConsole console)
    {
        TextWriter output = console.Output;
        int clients = parse.GetValue(o.Clients);
        int length = SimulateOptions.InRange(parse.GetValue(o.Length), "--length", 1, 10_000_000, " with --scheme he");
        int bits = parse.GetValue(o.Bits);
        double dropout = parse.GetValue(o.Dropout);
        double decryptorDropout = parse.GetValue(o.DecryptorDropout);
        string decryptorDropStage = parse.GetRequiredValue(o.DecryptorDropoutStage);
        int maxAttempts = parse.GetValue(o.MaxDecryptionAttempts);
        int decryptors = parse.GetValue(o.Decryptors) is int d ? SimulateOptions.InRange(d, "--decryptors", 1, Math.Min(clients, 1000), " (--clients)") : Math.Min(clients, 50);
        int threshold = parse.GetValue(o.Threshold) is int t ? SimulateOptions.InRange(t, "--threshold", 1, decryptors, " (--decryptors)") : decryptors / 2 + 1;
        int minClients = parse.GetValue(o.MinClients) is int m ? SimulateOptions.InRange(m, "--min-clients", 1, clients, " (--clients)") : clients / 2 + 1;
        double clip = parse.GetValue(o.ClipRange);
        long? seed = parse.GetValue(o.Seed);
        int lanes = parse.GetValue(o.Lanes);
        int bodies = parse.GetValue(o.Bodies);
        string degreeText = parse.GetRequiredValue(o.Degree);
        bool json = parse.GetValue(o.Json);
        double? dpEpsilon = parse.GetValue(o.DpEpsilon);
        double dpDelta = parse.GetValue(o.DpDelta);
        double dpClip = parse.GetValue(o.Clip);
        string? transcriptPath = parse.GetValue(o.Transcript);
        string? keysPath = parse.GetValue(o.Keys);
        DpInputModel? dp = null;
        if (dpEpsilon is double eps)
        {
            if (lanes == 0)
            {
                lanes = 1;
            }
            else if (lanes != 1)
            {
                throw new CliUsageException("--dp-epsilon needs --lanes 1: DP encodings wrap mod 2^bits, which packed lanes cannot carry");
            }
            dp = new DpInputModel(DpInputModel.PlanFor(eps, dpDelta, dpClip, clients, minClients, length, bits), seed ?? (long)SystemRandomSource.Instance.NextUInt64());
            length = dp.Plan.PaddedDimension;
        }

        FixedPointQuantizer quantizer;
        HeRoundConfiguration configuration;
        try
        {
            quantizer = FixedPointQuantizer.Create(clip, bits, clients);
            configuration = new HeRoundConfiguration
            {
                RoundId = new byte[16], // filled from the run's randomness below
                Roster = new RosterEntry[clients], // identities are made by the run
                Decryptors = [.. Enumerable.Range(1, decryptors).Select(i => (uint)i)],
                Threshold = threshold,
                VectorLength = length,
                // Under DP the planner keeps the signed sum inside t with probability 1 - 1e-4 (dp.md); the HE plan
                // is then told the per-client share of t, the range that bound corresponds to.
                InputRange = dp is null ? 2 * (ulong)quantizer.MaxMagnitude + 1 : Primitives.Vectors.ModularArithmetic.Mask(bits) / (ulong)clients + 1,
                InputOffset = (ulong)quantizer.MaxMagnitude,
                Lanes = lanes,
                Bodies = bodies,
                Bits = bits,
                Degree = degreeText == "auto" ? 0 : int.Parse(degreeText, System.Globalization.CultureInfo.InvariantCulture),
                MaxDecryptionAttempts = maxAttempts,
                MinimumClients = minClients,
            };
            // Validate the aggregation options up front (the same plan the round will make).
            _ = AggregationPlan.Create(new AggregationOptions
            {
                Clients = clients, InputRange = configuration.InputRange, InputOffset = configuration.InputOffset, Lanes = lanes, Bodies = bodies,
                Bits = bits, Decryptors = decryptors, Threshold = threshold, Degree = configuration.Degree, MaxDecryptionAttempts = maxAttempts,
                VectorLength = length,
            });
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or HeParameterException)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
        CliProgress live = console.Progress(quiet: json);
        TextWriter progress = live.Writer;
        using var deterministic = seed is long s ? new DeterministicRandomSource(s) : null;
        IRandomSource random = deterministic ?? (IRandomSource)SystemRandomSource.Instance;
        random.Fill(configuration.RoundId);
        var run = new HeSimulationRun(configuration, quantizer, random, progress, dp is null ? null : c => dp.Encode((uint)c))
        {
            Audit = transcriptPath is null && keysPath is null ? null : new HeSimulationAudit(transcriptPath, keysPath, seed)
            {
                Dp = dp is null ? null : SecureFed.Transcripts.DpRoundRecord.From(dp.Plan),
            },
        };
        var wall = Stopwatch.StartNew();
        var report = live.Run(() => run.Execute(Pick(clients, dropout, random), Pick(decryptors, decryptorDropout, random), decryptorDropStage));
        wall.Stop();
        report.Timings["wall"] = wall.Elapsed.TotalMilliseconds;
        run.Audit?.Write(json ? TextWriter.Null : console.Error);
        if (dp is not null && report.SumMatches)
        {
            report.Dp = dp.Evaluate(run.LastSum!, [.. run.LastContributors.Select(c => (uint)c)]);
        }
        report.Write(output, json);
        return report.SumMatches ? 0 : 1;
    }

    // The ids (1-based) that drop out: round(count * fraction) of them, uniformly chosen.
    private static HashSet<int> Pick(int count, double fraction, IRandomSource random) =>
        [.. SimulatedInput.Shuffled(random, 1, count).Take((int)Math.Round(count * fraction))];
}
