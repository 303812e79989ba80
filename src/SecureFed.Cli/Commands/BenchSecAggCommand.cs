using System.Text.Json;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed bench secagg`: masking throughput against this machine's keystream and memory limits.</summary>
internal sealed class BenchSecAggCommand : ICliCommand
{
    public string Name => "bench secagg";

    public string Summary => "benchmark masking (complete graph and SecAgg+) against this machine's AES-CTR and vector-add limits";

    public string Usage => """
        usage: securefed bench secagg [options]
          --quick                  small sizes (seconds, for a smoke run)
          --complete-clients N     clients of the complete-graph runs (default 500)
          --complete-length M      values per client there (default 100000)
          --dropouts LIST          dropout fractions after R1 for the complete graph (default 0,0.1,0.3)
          --plus-clients LIST      SecAgg+ client counts (default 1000,10000)
          --plus-lengths LIST      SecAgg+ lengths (default 100000,1000000)
          --plus-dropout D         SecAgg+ dropout fraction after R1 (default 0.1)
          --skip-plus              only the baseline and the complete graph
          --client-threads N       cores each client uses (default: all); the first complete-graph dropout is
                                   also run with one core per client
          --json                   print one JSON object
        ratios: measured time / (keystream bytes / baseline AES-NI keystream rate); the client bound uses the client's
        cores, the server bound all cores.
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        bool quick = args.Flag("quick");
        int completeClients = args.Int("complete-clients", quick ? 60 : 500, 3, 100_000);
        int completeLength = args.Int("complete-length", quick ? 10_000 : 100_000, 1, RoundParameters.MaxVectorLength);
        double[] dropouts = ParseList(args.String("dropouts", "0,0.1,0.3")!, double.Parse, "dropouts");
        int[] plusClients = ParseList(args.String("plus-clients", quick ? "200" : "1000,10000")!, int.Parse, "plus-clients");
        int[] plusLengths = ParseList(args.String("plus-lengths", quick ? "10000" : "100000,1000000")!, int.Parse, "plus-lengths");
        double plusDropout = args.Double("plus-dropout", 0.1, 0, 0.5);
        bool skipPlus = args.Flag("skip-plus");
        int clientThreads = args.Int("client-threads", Environment.ProcessorCount, 1, 256);
        bool json = args.Flag("json");
        args.ThrowIfUnused();

        var progress = new Progress<string>(line => error.WriteLine($"  {line}"));
        error.WriteLine("baseline: AES-256-CTR keystream, mask apply, vector add ...");
        var baseline = BenchSecAggBaseline.Measure(quick ? 0.5 : 2.5, clientThreads);
        // A small throw-away round first: compiles the protocol's code paths (tiered compilation is off) and starts the
        // worker threads, so neither lands in the first measured scenario.
        _ = BenchSecAggScenario.Run(GraphKind.Complete, 24, 4096, 32, 0.25, clientThreads, baseline, null);
        var runs = new List<BenchSecAggScenario>();
        foreach (double d in dropouts)
        {
            error.WriteLine($"complete graph: n = {completeClients}, length = {completeLength}, dropout {d:P0} after R1, {clientThreads} core(s) per client ...");
            runs.Add(BenchSecAggScenario.Run(GraphKind.Complete, completeClients, completeLength, 32, d, clientThreads, baseline, progress));
        }
        if (clientThreads > 1 && dropouts.Length > 0)
        {
            error.WriteLine($"complete graph: n = {completeClients}, length = {completeLength}, dropout {dropouts[0]:P0} after R1, 1 core per client ...");
            runs.Add(BenchSecAggScenario.Run(GraphKind.Complete, completeClients, completeLength, 32, dropouts[0], 1, baseline, progress));
        }
        if (!skipPlus)
        {
            foreach (int n in plusClients)
            {
                foreach (int m in plusLengths)
                {
                    error.WriteLine($"SecAgg+: n = {n}, length = {m}, dropout {plusDropout:P0} after R1 ...");
                    runs.Add(BenchSecAggScenario.Run(GraphKind.Harary, n, m, 32, plusDropout, clientThreads, baseline, progress));
                }
            }
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { cores = Environment.ProcessorCount, baseline, runs }, SimulationSummary.JsonOptions));
        }
        else
        {
            output.WriteLine($"baseline ({Environment.ProcessorCount} cores): AES-256-CTR keystream {baseline.KeystreamAesNiGBps:F2} GB/s/core ({(baseline.AesNi ? "AES-NI, 8 blocks interleaved" : "no AES-NI")}), platform AES-ECB over counters {baseline.KeystreamPlatformEcbGBps:F2} GB/s, mask expand+add {baseline.MaskApplyGBps:F2} GB/s, seed-set expand+add {baseline.MaskSetApplyGBps:F2} GB/s, vector add {baseline.VectorAddGBps:F2} GB/s; X25519+HKDF {baseline.KeyAgreementMicroseconds:F1} us, Ed25519 verify {baseline.SignatureVerifyMicroseconds:F1} us; with {baseline.ClientThreads} thread(s) busy: seed set {baseline.MaskSetApplyClientThreadsGBps:F2} GB/s, X25519+HKDF {baseline.KeyAgreementClientThreadsMicroseconds:F1} us, Ed25519 verify {baseline.SignatureVerifyClientThreadsMicroseconds:F1} us per operation (wall)");
            output.WriteLine($"{"graph",-9} {"n",6} {"k",5} {"t",5} {"length",9} {"drop",5} {"cores",5} {"ok",3} {"client ms",10} {"x floor",8} {"mask ms",8} {"x bound",8} {"server ms",10} {"unmask ms",10} {"x bound",8} {"wall s",7}");
            foreach (var r in runs)
            {
                output.WriteLine($"{r.Graph,-9} {r.Clients,6} {r.Degree,5} {r.Threshold,5} {r.Length,9} {r.Dropout,5:P0} {r.ClientThreads,5} {(r.SumMatches ? "yes" : "NO"),3} {r.ClientMsMean,10:F1} {r.ClientFloorRatio,8:F2} {r.ClientMaskingMsMean,8:F1} {r.ClientMaskingRatio,8:F2} {r.ServerMs,10:F1} {r.ServerUnmaskingMs,10:F1} {r.ServerUnmaskingRatio,8:F2} {r.WallSeconds,7:F1}");
            }
            output.WriteLine("client ms: all stages per client (key agreement, signatures, Shamir, masking); mask ms: R2 (masking) per client;");
            output.WriteLine("x floor: client ms / (its seed-set keystream, Ed25519 verifications and X25519 agreements at the costs measured with its cores busy);");
            output.WriteLine("cores: cores each client used; x bound: time / keystream-bound time (client: its cores; server unmasking: all cores).");
        }
        return runs.All(r => r.SumMatches) ? 0 : 1;
    }

    private static T[] ParseList<T>(string list, Func<string, IFormatProvider, T> parse, string name)
    {
        try
        {
            return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => parse(s.Replace("_", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new CliUsageException($"--{name} must be a comma-separated list of numbers (got '{list}')");
        }
    }
}
