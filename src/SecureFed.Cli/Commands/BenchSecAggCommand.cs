using System.CommandLine;
using System.Text.Json;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed bench secagg`: masking throughput against this machine's keystream and memory limits.</summary>
internal sealed class BenchSecAggCommand : CliCommand
{
    private readonly Option<bool> _quick = CliOptions.Flag("--quick", "small sizes (seconds, for a smoke run)");
    private readonly Option<int?> _completeClients = CliOptions.OptionalInt("--complete-clients", "N", "clients of the complete-graph runs (default 500; 60 with --quick)", 3, 100_000);
    private readonly Option<int?> _completeLength = CliOptions.OptionalInt("--complete-length", "M", "values per client there (default 100000; 10000 with --quick)", 1, RoundParameters.MaxVectorLength);
    private readonly Option<double[]?> _dropouts = CliOptions.DoubleList("--dropouts", "LIST", "dropout fractions after R1 for the complete graph (default 0,0.1,0.3)", 0, 0.99);
    private readonly Option<int[]?> _plusClients = CliOptions.IntList("--plus-clients", "LIST", "SecAgg+ client counts (default 1000,10000; 200 with --quick)", 3, 10_000_000);
    private readonly Option<int[]?> _plusLengths = CliOptions.IntList("--plus-lengths", "LIST", "SecAgg+ lengths (default 100000,1000000; 10000 with --quick)", 1, RoundParameters.MaxVectorLength);
    private readonly Option<double> _plusDropout = CliOptions.Double("--plus-dropout", "D", "SecAgg+ dropout fraction after R1", 0.1, 0, 0.5);
    private readonly Option<bool> _skipPlus = CliOptions.Flag("--skip-plus", "only the baseline and the complete graph");
    private readonly Option<int> _clientThreads = CliOptions.Int("--client-threads", "N",
        "cores each client uses (default: all); the first complete-graph dropout is also run with one core per client", Environment.ProcessorCount, 1, 256);
    private readonly Option<bool> _floorAfter = CliOptions.Flag("--floor-after",
        "measure the baseline again right after each SecAgg+ case and report the client's ratio to that floor too (on a shared machine the first baseline can be minutes older than the case)");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print one JSON object (and no progress)");

    public override string Name => "bench secagg";

    public override string Description => """
        benchmark masking (complete graph and SecAgg+) against this machine's AES-CTR and vector-add limits
        ratios: measured time / (keystream bytes / baseline AES-NI keystream rate); the client bound uses the client's
        cores at the one-core rate, the server bound the rate measured with all cores busy at once.
        """;

    public override IEnumerable<Symbol> Symbols => [_quick, _completeClients, _completeLength, _dropouts, _plusClients, _plusLengths, _plusDropout, _skipPlus, _clientThreads, _floorAfter, _json];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output;
        bool quick = parse.GetValue(_quick);
        int completeClients = parse.GetValue(_completeClients) ?? (quick ? 60 : 500);
        int completeLength = parse.GetValue(_completeLength) ?? (quick ? 10_000 : 100_000);
        double[] dropouts = parse.GetValue(_dropouts) ?? [0, 0.1, 0.3];
        int[] plusClients = parse.GetValue(_plusClients) ?? (quick ? [200] : [1000, 10_000]);
        int[] plusLengths = parse.GetValue(_plusLengths) ?? (quick ? [10_000] : [100_000, 1_000_000]);
        double plusDropout = parse.GetValue(_plusDropout);
        bool skipPlus = parse.GetValue(_skipPlus);
        int clientThreads = parse.GetValue(_clientThreads);
        bool floorAfter = parse.GetValue(_floorAfter);
        bool json = parse.GetValue(_json);

        CliProgress progress = console.Progress(quiet: json);
        var floorsAfter = new List<BenchSecAggFloorAfter>();
        (BenchSecAggBaseline baseline, List<BenchSecAggScenario> runs) = progress.Run(() =>
        {
            progress.Stage("baseline: AES-256-CTR keystream, mask apply, vector add ...");
            var baseline = BenchSecAggBaseline.Measure(quick ? 0.5 : 2.5, clientThreads);
            // A small throw-away round first: compiles the protocol's code paths (tiered compilation is off) and starts the
            // worker threads, so neither lands in the first measured scenario.
            _ = BenchSecAggScenario.Run(GraphKind.Complete, 24, 4096, 32, 0.25, clientThreads, baseline, null);
            var runs = new List<BenchSecAggScenario>();
            foreach (double d in dropouts)
            {
                progress.Stage($"complete graph: n = {completeClients}, length = {completeLength}, dropout {d:P0} after R1, {clientThreads} core(s) per client ...");
                runs.Add(BenchSecAggScenario.Run(GraphKind.Complete, completeClients, completeLength, 32, d, clientThreads, baseline, progress.Reporter));
            }
            if (clientThreads > 1 && dropouts.Length > 0)
            {
                progress.Stage($"complete graph: n = {completeClients}, length = {completeLength}, dropout {dropouts[0]:P0} after R1, 1 core per client ...");
                runs.Add(BenchSecAggScenario.Run(GraphKind.Complete, completeClients, completeLength, 32, dropouts[0], 1, baseline, progress.Reporter));
            }
            if (!skipPlus)
            {
                foreach (int n in plusClients)
                {
                    foreach (int m in plusLengths)
                    {
                        progress.Stage($"SecAgg+: n = {n}, length = {m}, dropout {plusDropout:P0} after R1 ...");
                        BenchSecAggScenario run = BenchSecAggScenario.Run(GraphKind.Harary, n, m, 32, plusDropout, clientThreads, baseline, progress.Reporter);
                        runs.Add(run);
                        if (floorAfter)
                        {
                            progress.Stage("baseline again, right after the case ...");
                            floorsAfter.Add(BenchSecAggFloorAfter.Of(run, BenchSecAggBaseline.Measure(quick ? 0.5 : 2.5, clientThreads)));
                        }
                    }
                }
            }
            return (baseline, runs);
        });
        if (json)
        {
            output.WriteLine(floorAfter
                ? JsonSerializer.Serialize(new { cores = Environment.ProcessorCount, baseline, runs, floors_after = floorsAfter }, SimulationSummary.JsonOptions)
                : JsonSerializer.Serialize(new { cores = Environment.ProcessorCount, baseline, runs }, SimulationSummary.JsonOptions));
        }
        else
        {
            output.WriteLine($"baseline ({Environment.ProcessorCount} cores): AES-256-CTR keystream {baseline.KeystreamAesNiGBps:F2} GB/s/core ({(baseline.AesNi ? "AES-NI, 8 blocks interleaved" : "no AES-NI")}), platform AES-ECB over counters {baseline.KeystreamPlatformEcbGBps:F2} GB/s, mask expand+add {baseline.MaskApplyGBps:F2} GB/s, seed-set expand+add {baseline.MaskSetApplyGBps:F2} GB/s, vector add {baseline.VectorAddGBps:F2} GB/s; X25519+HKDF {baseline.KeyAgreementMicroseconds:F1} us, Ed25519 verify {baseline.SignatureVerifyMicroseconds:F1} us; keystream with all {Environment.ProcessorCount} cores busy {baseline.KeystreamAesNiAllCoresGBps:F2} GB/s in total; with {baseline.ClientThreads} thread(s) busy: seed set {baseline.MaskSetApplyClientThreadsGBps:F2} GB/s, X25519+HKDF {baseline.KeyAgreementClientThreadsMicroseconds:F1} us, Ed25519 verify {baseline.SignatureVerifyClientThreadsMicroseconds:F1} us per operation (wall)");
            var table = CliTable.Numeric("graph", "n", "k", "t", "length", "drop", "cores", "ok", "client ms", "x floor", "mask ms", "x bound", "server ms", "unmask ms", "x bound", "wall s");
            foreach (var r in runs)
            {
                table.Row(r.Graph, $"{r.Clients}", $"{r.Degree}", $"{r.Threshold}", $"{r.Length}", $"{r.Dropout:P0}", $"{r.ClientThreads}", r.SumMatches ? "yes" : "NO",
                    $"{r.ClientMsMean:F1}", $"{r.ClientFloorRatio:F2}", $"{r.ClientMaskingMsMean:F1}", $"{r.ClientMaskingRatio:F2}", $"{r.ServerMs:F1}",
                    $"{r.ServerUnmaskingMs:F1}", $"{r.ServerUnmaskingRatio:F2}", $"{r.WallSeconds:F1}");
            }
            console.Write(table);
            foreach (var r in runs)
            {
                output.WriteLine($"{r.Graph} n = {r.Clients}, {r.ClientThreads} core(s): client ms median {r.ClientMsMedian:F2} ({r.ClientFloorRatioMedian:F2}x floor), " +
                    $"p90 {r.ClientMsP90:F2}; client ms per stage " +
                    string.Join(", ", r.ClientStageMsMean.Select(kv => $"{kv.Key} {kv.Value:F2}")) +
                    $"; unmasking {r.ServerUnmaskingRatioLinear:F2}x the bound at {Environment.ProcessorCount} x the one-core keystream rate");
            }
            foreach (BenchSecAggFloorAfter f in floorsAfter)
            {
                output.WriteLine($"{f.Graph} n = {f.Clients}, length = {f.Length}: client {f.ClientMsMean:F1} ms, floor {f.ClientFloorMs:F2} ms ({f.ClientFloorRatio:F2}x) " +
                    $"with the first baseline, {f.ClientFloorMsAfter:F2} ms ({f.ClientFloorRatioAfter:F2}x) with the baseline measured right after it");
            }
            output.WriteLine("client ms: all stages per client (key agreement, signatures, Shamir, masking); mask ms: R2 (masking) per client;");
            output.WriteLine("x floor: client ms (mean) / (its seed-set keystream, Ed25519 verifications and X25519 agreements at the costs measured with its cores busy);");
            output.WriteLine("client ms median, p90: over the clients, each client's stages summed (the mean above includes the tail they show);");
            output.WriteLine("cores: cores each client used; x bound: time / keystream-bound time (client: its cores at the one-core rate; server unmasking: the rate measured with all cores busy).");
        }
        return runs.All(r => r.SumMatches) ? 0 : 1;
    }
}
