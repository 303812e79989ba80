using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// One secure-aggregation (pairwise masking) round over given client encodings, run by the real client and server
/// state machines in <see cref="RoundSimulator"/> with keys and masks from the OS CSPRNG.
/// </summary>
internal static class MaskedSum
{
    /// <summary>
    /// The unmasked sums, and whether they equal <paramref name="plainSums"/> bit for bit; null sums if the round
    /// aborted. Simulated client i + 1 sends <paramref name="encoded"/>[i].
    /// </summary>
    public static (ulong[][]? Sums, bool Matches) Run(IReadOnlyList<VectorSpec> vectors, IReadOnlyList<ulong[][]> encoded, ulong[][] plainSums)
    {
        var options = new SimulationOptions
        {
            Clients = encoded.Count,
            Vectors = vectors,
            Graph = GraphKind.Complete,
            // A client wipes its copy of its input after masking, and the simulator asks twice: hand out copies.
            Inputs = id => [.. encoded[(int)id - 1].Select(v => (ulong[])v.Clone())],
        };
        SimulationReport report = new RoundSimulator(options).Run();
        if (report.Result is null)
        {
            return (null, false);
        }
        var sums = report.Result.Sums.Select(s => s.ToArray()).ToArray();
        bool matches = report.SumMatches && report.Result.Survivors.Count == encoded.Count
            && sums.Length == plainSums.Length && sums.Zip(plainSums).All(p => p.First.AsSpan().SequenceEqual(p.Second));
        return (sums, matches);
    }
}
