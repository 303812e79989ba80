namespace SecureFed.Samples.FederatedTraining;

/// <summary>What one method's training run produced.</summary>
internal sealed class RunResult(string method, int rounds, int parameters)
{
    public string Method { get; } = method;

    /// <summary>Test accuracy after each round (index 0 = round 1).</summary>
    public double[] Accuracy { get; } = new double[rounds];

    /// <summary>Rounds whose secure sum was checked against the plain sum, and how many of those differed.</summary>
    public int SumChecks { get; set; }

    public int SumMismatches { get; set; }

    public double[] FinalParameters { get; } = new double[parameters];

    public double Seconds { get; set; }

    public string? Summary { get; set; }

    /// <summary>For DP runs: the measured aggregation error against the mechanism's.</summary>
    public NoiseCheck? Noise { get; set; }

    /// <summary>Mean accuracy over the last <paramref name="count"/> rounds (smooths the DP runs' round-to-round noise).</summary>
    public double TailAccuracy(int count) => Accuracy.TakeLast(Math.Min(count, Accuracy.Length)).Average();
}
