using SecureFed.Privacy.Pipeline;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// Measures a DP run's aggregation error: the squared distance, per coordinate, between the server's noisy mean and
/// the exact mean of the clipped deltas (which only this simulation can compute), accumulated over rounds.
/// </summary>
internal sealed class NoiseMeter(double clipNorm, int expectedClients)
{
    private double _squaredError;
    private long _coordinates;

    /// <summary>Mean squared error per coordinate so far (NaN before any round).</summary>
    public double MeanSquaredError => _squaredError / _coordinates;

    public long Coordinates => _coordinates;

    public void Record(IReadOnlyList<ClientUpdate> updates, ReadOnlySpan<double> noisyMean)
    {
        var exact = new double[noisyMean.Length];
        var clipped = new double[noisyMean.Length];
        foreach (ClientUpdate u in updates)
        {
            L2Clipping.ClipInto(u.Delta, clipNorm, clipped);
            for (int i = 0; i < exact.Length; i++)
            {
                exact[i] += clipped[i];
            }
        }
        for (int i = 0; i < exact.Length; i++)
        {
            double e = noisyMean[i] - (exact[i] / expectedClients);
            _squaredError += e * e;
        }
        _coordinates += exact.Length;
    }
}
