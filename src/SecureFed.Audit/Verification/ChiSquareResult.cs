namespace SecureFed.Audit.Verification;

/// <summary>A chi-square uniformity test: sample size, bins, statistic, p-value and the bin counts (for plots).</summary>
public sealed record ChiSquareResult(long Samples, int Bins, double Statistic, double PValue, bool Enough, long[] Counts)
{
    /// <summary>True when there was enough data and the p-value is at least <see cref="ChiSquareUniformity.Alpha"/>.</summary>
    public bool LooksUniform => Enough && PValue >= ChiSquareUniformity.Alpha;

    /// <summary>One line for a check's reason.</summary>
    public string Describe() => Enough
        ? $"chi-square = {Statistic:F1} over {Bins - 1} degrees of freedom, {Samples} samples, p = {PValue:G3}"
        : $"only {Samples} samples, fewer than {ChiSquareUniformity.MinExpectedPerBin} per bin x {Bins} bins";
}
