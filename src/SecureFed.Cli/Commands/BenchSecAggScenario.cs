using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Planning;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Cli.Commands;

// One measured round and its keystream-bound times: the time the mask keystream bytes alone would take at the
// baseline rate (client: its ClientThreads cores; server: all cores, as its unmasking is parallel).
internal sealed record BenchSecAggScenario(
    string Graph,
    int Clients,
    int Degree,
    int Threshold,
    int Length,
    int Bits,
    double Dropout,
    int ClientThreads,
    bool SumMatches,
    double ClientMsMean,
    double ClientMsMedian,
    double ClientMsP90,
    double ClientMaskingMsMean,
    double ServerMs,
    double ServerUnmaskingMs,
    double WallSeconds,
    double ClientKeystreamBoundMs,
    double ServerKeystreamBoundMs,
    double ClientRatio,
    double ClientMaskingRatio,
    double ClientFloorMs,
    double ClientFloorRatio,
    double ClientFloorRatioMedian,
    double ServerUnmaskingRatio,
    double ServerUnmaskingRatioLinear,
    IReadOnlyDictionary<string, double> ClientStageMsMean)
{
    public static BenchSecAggScenario Run(GraphKind graph, int clients, int length, int bits, double dropout, int clientThreads,
        BenchSecAggBaseline baseline, IProgress<string>? progress)
    {
        int degree = clients - 1, threshold = RoundParameters.MinimumThreshold(clients);
        if (graph == GraphKind.Harary)
        {
            GraphPlan plan = SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = clients, CorruptFraction = 0.05, DropoutFraction = Math.Max(dropout, 0.1) });
            graph = plan.Graph;
            degree = plan.Degree;
            threshold = plan.Threshold;
        }
        int droppedCount = (int)Math.Round(clients * dropout);
        // Drop the clients with the highest ids after R1 (they sent shares but no masked input): what a deadline does.
        var dropouts = Enumerable.Range(clients - droppedCount + 1, droppedCount).ToDictionary(i => (uint)i, _ => ProtocolStage.MaskedInputCollection);
        ulong mask = ModularArithmetic.Mask(bits);
        var spareInputs = new System.Collections.Concurrent.ConcurrentBag<ulong[]>();
        var options = new SimulationOptions
        {
            Clients = clients,
            Vectors = [new VectorSpec { Length = length, Bits = bits }],
            Graph = graph,
            GraphDegree = graph == GraphKind.Harary ? degree : 0,
            Threshold = threshold,
            Dropouts = dropouts,
            Seed = 7,
            ClientThreads = clientThreads,
            // Inputs come straight from a keystream (cheap), so the client's time is protocol work, not test-data generation;
            // each array is reused once its client has let it go, so the collector is not kept busy beside the clients by
            // a fresh 8 MB array per client at a million values.
            Inputs = id =>
            {
                // The keystream fills whole 16-byte blocks: an odd length draws one word more and drops it.
                ulong[] x = spareInputs.TryTake(out ulong[]? spare) ? spare : new ulong[length];
                var words = length % 2 == 0 ? x : new ulong[length + 1];
                var seed = new byte[32];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(seed, id);
                using (var ks = new Primitives.Prg.AesCtrKeystream(seed, 0x1A7))
                {
                    ks.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
                }
                if (words != x)
                {
                    words.AsSpan(0, length).CopyTo(x);
                }
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] &= mask;
                }
                return [x];
            },
            InputReleased = (_, input) => spareInputs.Add(input[0]),
            Progress = progress,
        };
        var wall = System.Diagnostics.Stopwatch.StartNew();
        SimulationReport report = new RoundSimulator(options).Run();
        wall.Stop();
        // The mean is the figure the floor is judged by; the median and p90 show how much of it is the tail (the same
        // client work varies from client to client on a shared VM: preemption, the simulator's GC).
        var clientTimes = ClientTimeDistribution.Of(report.ClientMilliseconds);
        double clientMs = clientTimes.Mean;
        StageReport r2 = report.Stages.Single(s => s.Stage.StartsWith("R2", StringComparison.Ordinal));
        double maskingMs = r2.ClientMillisecondsTotal / Math.Max(1, r2.ClientsActive);
        double serverMs = report.Stages.Sum(s => s.ServerMilliseconds);
        double unmaskMs = report.Stages.Where(s => s.Stage.StartsWith("Server", StringComparison.Ordinal)).Sum(s => s.ServerMilliseconds);
        int alive = clients - droppedCount;
        long wordBytes = bits <= 32 ? 4 : 8;
        double bytesPerMs = baseline.KeystreamAesNiGBps * 1e6;
        int neighbours = graph == GraphKind.Harary ? degree : clients - 1;
        double clientBound = (neighbours + 1.0) * length * wordBytes / (bytesPerMs * clientThreads);
        // What no implementation on these primitives can beat: the seed set's keystream-and-add at its measured rate,
        // one Ed25519 verification per neighbour's signed keys (R1; its own entry is compared, not verified) and two
        // X25519+HKDF per neighbour (share and consistency keys in R1, mask seeds in R2), each at its cost measured with
        // the client's cores busy. The R4 consistency check is t - 1 HMACs (microseconds), so it is left out.
        double clientFloor = FloorMs(baseline, neighbours, length, bits, clientThreads);
        // The server's bound: the seeds it must expand (survivors' self masks, dropped clients' pair masks) at the
        // keystream rate measured with all cores busy at once; the linear bound assumes cores x the one-core rate.
        double serverBytes = (alive + droppedCount * (double)Math.Min(neighbours, alive)) * length * wordBytes;
        double serverBound = serverBytes / (baseline.KeystreamAesNiAllCoresGBps * 1e6);
        double serverBoundLinear = serverBytes / (bytesPerMs * Environment.ProcessorCount);
        // Where a client's time goes: each stage's client work per client that ran it (the stage named by the message
        // the client answers: "R1 ShareKeys" is its work on the key directory, "R2 MaskedInputCollection" its masking).
        var stageMs = report.Stages.Where(s => s.ClientsActive > 0)
            .ToDictionary(s => s.Stage, s => s.ClientMillisecondsTotal / s.ClientsActive);
        return new BenchSecAggScenario(graph == GraphKind.Harary ? "harary" : "complete", clients, neighbours, threshold, length, bits, dropout, clientThreads,
            report.SumMatches, clientMs, clientTimes.Median, clientTimes.P90, maskingMs, serverMs, unmaskMs, wall.Elapsed.TotalSeconds, clientBound, serverBound,
            clientMs / clientBound, maskingMs / clientBound, clientFloor, clientMs / clientFloor, clientTimes.Median / clientFloor, unmaskMs / serverBound,
            unmaskMs / serverBoundLinear, stageMs);
    }

    // The client floor above for a client with `neighbours` neighbours, at `baseline`'s measured costs.
    public static double FloorMs(BenchSecAggBaseline baseline, int neighbours, int length, int bits, int clientThreads)
    {
        long wordBytes = bits <= 32 ? 4 : 8;
        bool threaded = clientThreads == baseline.ClientThreads;
        double setBytesPerMs = (threaded ? baseline.MaskSetApplyClientThreadsGBps : baseline.MaskSetApplyGBps) * 1e6;
        double verifyUs = threaded ? baseline.SignatureVerifyClientThreadsMicroseconds : baseline.SignatureVerifyMicroseconds;
        double agreeUs = threaded ? baseline.KeyAgreementClientThreadsMicroseconds : baseline.KeyAgreementMicroseconds;
        return (neighbours + 1.0) * length * wordBytes / setBytesPerMs + (neighbours * verifyUs + 2.0 * neighbours * agreeUs) / 1000;
    }
}
