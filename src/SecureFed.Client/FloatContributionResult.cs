namespace SecureFed.Client;

/// <summary>
/// A finished float contribution (<see cref="SecureFedClient.ContributeAsync(string, ReadOnlyMemory{float}, double, CancellationToken)"/>):
/// the round's weighted average decoded on the device from the published sums, with what it was computed from and
/// what happened to this device's update on the way.
/// </summary>
public sealed class FloatContributionResult
{
    internal FloatContributionResult(ContributionResult contribution, IReadOnlyList<double> average, double weightSum, double errorBound,
        double noiseStdDev, bool clipped, double originalNorm, double appliedWeight)
    {
        Contribution = contribution;
        Average = average;
        WeightSum = weightSum;
        ErrorBound = errorBound;
        NoiseStdDev = noiseStdDev;
        Clipped = clipped;
        OriginalNorm = originalNorm;
        AppliedWeight = appliedWeight;
    }

    /// <summary>The protocol outcome (round, this client's id, the verified survivors).</summary>
    public ContributionResult Contribution { get; }

    /// <summary>The round.</summary>
    public string RoundId => Contribution.RoundId;

    /// <summary>The clients whose updates are in the average (this one among them).</summary>
    public IReadOnlyList<uint> Survivors => Contribution.Survivors;

    /// <summary>The weighted average of the survivors' clipped updates, per coordinate (a DP round: with its noise).</summary>
    public IReadOnlyList<double> Average { get; }

    /// <summary>Sum of the survivors' applied weights (a DP round: the survivor count).</summary>
    public double WeightSum { get; }

    /// <summary>Worst-case per-coordinate error of <see cref="Average"/> against the exact weighted average of the
    /// clipped updates (secagg.md 10a); +infinity for a DP round (see <see cref="NoiseStdDev"/>).</summary>
    public double ErrorBound { get; }

    /// <summary>A DP round: the standard deviation of the zero-mean noise in each coordinate of the average; 0 otherwise.</summary>
    public double NoiseStdDev { get; }

    /// <summary>True when this device's update was above the clip norm and was scaled down to it.</summary>
    public bool Clipped { get; }

    /// <summary>This device's update norm before clipping.</summary>
    public double OriginalNorm { get; }

    /// <summary>The weight actually applied (a multiple of 2^-16).</summary>
    public double AppliedWeight { get; }

    /// <summary>The average in single precision.</summary>
    public float[] ToSingle() => [.. Average.Select(v => (float)v)];
}
