namespace SecureFed.Protocol.Simulation;

/// <summary>
/// How one round's per-client compute times spread (each client's protocol work summed over the stages it ran, as
/// <see cref="SimulationReport.ClientMilliseconds"/> gives them). The mean alone hides a tail: on a small shared VM the
/// same client work varies from client to client by a quarter or more, so benchmarks report the median and the tail
/// beside it. Percentiles are nearest-rank.
/// </summary>
/// <param name="Mean">The mean over the clients.</param>
/// <param name="Median">The 50th percentile.</param>
/// <param name="P90">The 90th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Max">The slowest client.</param>
public sealed record ClientTimeDistribution(double Mean, double Median, double P90, double P99, double Max)
{
    /// <summary>The distribution of <paramref name="milliseconds"/> (one value per client); all zero when empty.</summary>
    public static ClientTimeDistribution Of(IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            return new ClientTimeDistribution(0, 0, 0, 0, 0);
        }
        double[] sorted = [.. milliseconds];
        Array.Sort(sorted);
        return new ClientTimeDistribution(sorted.Average(), Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]);
    }

    // The smallest value with at least fraction q of the values at or below it.
    private static double Rank(double[] sorted, double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
