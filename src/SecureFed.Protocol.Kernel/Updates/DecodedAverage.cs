namespace SecureFed.Protocol.Updates;

/// <summary>The weighted average a float round produced, with what it was computed from.</summary>
public sealed class DecodedAverage
{
    // Converting a coordinate of magnitude at most the clip norm to float moves it by at most half a float ulp, < c 2^-23.
    private const double SingleRounding = 1.0 / (1 << 23);

    internal DecodedAverage(double[] average, int survivors, double weightSum, double errorBound, double clipNorm, double noiseStdDev = 0)
    {
        Average = average;
        Survivors = survivors;
        WeightSum = weightSum;
        ErrorBound = errorBound;
        SingleErrorBound = errorBound + (clipNorm * SingleRounding);
        NoiseStdDev = noiseStdDev;
    }

    /// <summary>The weighted average of the survivors' clipped updates, per coordinate.</summary>
    public IReadOnlyList<double> Average { get; }

    /// <summary>Clients whose updates are in the sum.</summary>
    public int Survivors { get; }

    /// <summary>Sum of the survivors' weights.</summary>
    public double WeightSum { get; }

    /// <summary>
    /// Worst-case per-coordinate error of <see cref="Average"/> (<see cref="FloatEncodingParameters.AverageErrorBound"/>);
    /// +infinity for a DP round, whose noise is unbounded (see <see cref="NoiseStdDev"/>).
    /// </summary>
    public double ErrorBound { get; }

    /// <summary>Standard deviation of the zero-mean DP noise and rounding in each coordinate; 0 without DP.</summary>
    public double NoiseStdDev { get; }

    /// <summary>Worst-case per-coordinate error of <see cref="ToSingle"/>.</summary>
    public double SingleErrorBound { get; }

    /// <summary>The average in single precision.</summary>
    public float[] ToSingle() => [.. Average.Select(v => (float)v)];
}
