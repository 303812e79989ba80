using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// The baseline the distributed-DP run is judged against: central DP-FedAvg with a trusted server that clips each
/// delta to c, sums in floating point and adds continuous Gaussian noise of the std dev a Gaussian mechanism needs
/// for the same (epsilon, delta, rounds) (<see cref="DistributedDpPlanner.IdealCentralStdDev"/>), then divides by m.
/// </summary>
internal sealed class CentralDpAggregator(double clipNorm, double noiseStdDev, int expectedClients, IRandomSource random) : IUpdateAggregator
{
    public string Name => "cdp";

    public NoiseMeter Meter { get; } = new(clipNorm, expectedClients);

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates)
    {
        int length = updates[0].Delta.Length;
        var sum = new double[length];
        var clipped = new double[length];
        foreach (ClientUpdate u in updates)
        {
            L2Clipping.ClipInto(u.Delta, clipNorm, clipped);
            for (int i = 0; i < length; i++)
            {
                sum[i] += clipped[i];
            }
        }
        for (int i = 0; i < length; i++)
        {
            sum[i] = (sum[i] + (noiseStdDev * StandardNormal())) / expectedClients;
        }
        Meter.Record(updates, sum);
        return new AggregationOutcome(sum, null);
    }

    /// <summary>Per coordinate of the mean: (sigma / m)^2, nothing else.</summary>
    public NoiseCheck CheckNoise()
    {
        double v = noiseStdDev / expectedClients * (noiseStdDev / expectedClients);
        return new NoiseCheck(Meter.MeanSquaredError, v, v, Meter.Coordinates);
    }

    public string? Summary() => $"continuous Gaussian, std dev {noiseStdDev:G3} on the sum (clip {clipNorm})";

    // Box-Muller on the CSPRNG; 1 - U keeps the logarithm's argument in (0, 1].
    private double StandardNormal()
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
